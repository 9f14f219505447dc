/** Internal: small helpers shared by the engine's packages. Not part of the public API. */
package io.slatedb.util;
