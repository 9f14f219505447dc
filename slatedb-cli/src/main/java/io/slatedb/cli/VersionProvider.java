package io.slatedb.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code --version}: the jar's implementation version. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = SlateDbCli.class.getPackage().getImplementationVersion();
        return new String[] {"slatedb (SlateDB for the JVM) " + (version == null ? "development build" : version)};
    }
}
