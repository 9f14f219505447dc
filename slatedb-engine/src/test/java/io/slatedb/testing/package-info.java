/**
 * The engine's test kit, shipped in its test-jar for every module's tests: a {@link
 * io.slatedb.testing.MutableClock} moved by hand, a {@link io.slatedb.testing.ManualDelayScheduler} whose
 * timers fire when the test advances it, and object stores that wrap another one to observe or steer
 * it ({@link io.slatedb.testing.ForwardingObjectStore} as their base, {@link io.slatedb.testing.GateStore}
 * to hold writes until the test lets them through, {@link io.slatedb.testing.WriteRecordingStore} to
 * record writes and wait for them, {@link io.slatedb.testing.FaultInjectingObjectStore} with its {@link
 * io.slatedb.testing.FaultRule}s and {@link io.slatedb.testing.Fault}s to fail, delay or stall chosen calls),
 * and an in-memory {@link io.slatedb.testing.ReadRecordingStore} that records its reads and can fail them.
 */
package io.slatedb.testing;
