package io.slatedb.interop;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that run the real (Rust) SlateDB through {@link RustSlateDb}. On a machine without Node.js 20+
 * and npm they are skipped (reported as skipped, with the reason), never failed and never silently passed.
 * Where Node is present, the harness is installed before the first such test (outside its timeout), and a
 * failure to install or run the binding fails the test.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RustSlateDbExtension.class)
public @interface RequiresNode {
}
