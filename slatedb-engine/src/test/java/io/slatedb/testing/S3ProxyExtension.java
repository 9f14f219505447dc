package io.slatedb.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests an {@link S3ProxyServer}: declare {@code @ExtendWith(S3ProxyExtension.class)} and take an
 * {@code S3ProxyServer} parameter in a test, lifecycle method or constructor.
 *
 * <p>One server (filesystem backend, bucket {@value S3ProxyServer#DEFAULT_BUCKET}) is shared by every
 * test class in the JVM, because starting S3Proxy and the SDK costs a second or two; it lives in the
 * root extension store, so JUnit stops it when the whole run ends. Tests isolate themselves with
 * {@link S3ProxyServer#freshPrefix()} (or {@link S3ProxyServer#openStoreOnFreshPrefix()}). A test
 * that needs a server to itself (to stop it, say) starts one with {@link S3ProxyServer#start()}.
 */
public final class S3ProxyExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(S3ProxyExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == S3ProxyServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server(extensionContext);
    }

    /** The server shared by this JVM's tests, started on first use. */
    public static S3ProxyServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(S3ProxyServer.class, key -> S3ProxyServer.start(), S3ProxyServer.class);
    }
}
