// Opens the clone-shaped database (whose manifest 1 was written by this codec) with SlateDB, reads
// through it, writes, flushes and shuts down, so SlateDB rewrites its manifest (see README.md).
import * as s from "@slatedb/uniffi";
const root = "/tmp/manifest-probe/data";
const enc = (x) => new TextEncoder().encode(x);
const dec = (x) => x === undefined ? "<none>" : new TextDecoder().decode(x);
const store = s.ObjectStore.resolve("file://" + root);
const st = s.Settings.default();
st.set("compactor_options", "null");
const b = new s.DbBuilder("clone", store);
b.with_settings(st);
const db = await b.build();
for (const k of ["apple", "banana", "cherry"]) console.log(k, "=", dec(await db.get(enc(k))));
await db.put(enc("date"), enc("4"));
await db.flush_with_options({ flush_type: "MemTable" });
await db.shutdown();
console.log("done");
