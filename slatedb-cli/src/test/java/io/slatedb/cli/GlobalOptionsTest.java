package io.slatedb.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GlobalOptionsTest {

    @Test
    void defaultStoreIsTheDataDirectoryOfTheWorkingDirectoryAsAFileUrl() {
        assertEquals("file:///home/me/data", GlobalOptions.defaultStoreUrl(Path.of("/home/me")));
        assertEquals("file:///home/me/my%20dbs/data", GlobalOptions.defaultStoreUrl(Path.of("/home/me/my dbs/./")));
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        GlobalOptions options = new GlobalOptions();
        assertEquals("db", options.dbPath());
        assertEquals(GlobalOptions.defaultStoreUrl(Path.of(System.getProperty("user.dir"))), options.storeUrl());
    }
}
