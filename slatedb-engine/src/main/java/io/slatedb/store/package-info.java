/**
 * Object stores: the storage SlateDB keeps all of its data in. {@link io.slatedb.store.ObjectStore} is
 * the contract; {@link io.slatedb.store.ObjectStores#resolve(String)} opens one from a URL
 * ({@code memory:///}, {@code file:///abs/dir}, {@code s3://bucket/prefix?...}).
 */
package io.slatedb.store;
