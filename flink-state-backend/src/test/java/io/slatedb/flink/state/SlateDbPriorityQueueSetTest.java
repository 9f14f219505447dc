package io.slatedb.flink.state;

import io.slatedb.Db;
import io.slatedb.DbIterator;
import io.slatedb.WriteOptions;
import io.slatedb.store.InMemoryObjectStore;
import org.apache.flink.runtime.state.CompositeKeySerializationUtils;
import org.apache.flink.runtime.state.InternalPriorityQueue;
import org.apache.flink.runtime.state.InternalPriorityQueueTestBase;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's priority queue contract against the database-backed timer queue, with a cache of two
 * elements per key group so that most operations go through the database (eviction, refill, seek hint).
 */
@Timeout(60)
class SlateDbPriorityQueueSetTest extends InternalPriorityQueueTestBase {

    private static final int CACHE_SIZE = 2;

    private final List<Db> dbs = new ArrayList<>();

    @AfterEach
    void closeDbs() {
        dbs.forEach(Db::close);
    }

    private Db openDb() {
        Db db = Db.builder("queues", new InMemoryObjectStore()).build();
        dbs.add(db);
        return db;
    }

    private static SlateDbPriorityQueueSetFactory factory(Db db) {
        int numberOfKeyGroups = KEY_GROUP_RANGE.getEndKeyGroup() + 1;
        return new SlateDbPriorityQueueSetFactory(new QueueStore() {
            @Override
            public void put(byte[] key, byte[] value) {
                db.put(key, value, io.slatedb.PutOptions.NO_EXPIRY, WriteOptions.NO_AWAIT);
            }

            @Override
            public void delete(byte[] key) {
                db.delete(key, WriteOptions.NO_AWAIT);
            }

            @Override
            public DbIterator scan(byte[] start, byte[] end) {
                return db.scan(start, end);
            }
        }, KEY_GROUP_RANGE, numberOfKeyGroups,
                CompositeKeySerializationUtils.computeRequiredBytesInKeyGroupPrefix(numberOfKeyGroups), name -> {
        }, CACHE_SIZE);
    }

    @Override
    protected InternalPriorityQueue<TestElement> newPriorityQueue(int initialCapacity) {
        return factory(openDb()).create("queue", TestElementSerializer.INSTANCE);
    }

    @Override
    protected boolean testSetSemanticsAgainstDuplicateElements() {
        return true;
    }

    @Test
    void aNewQueueOnTheSameDatabaseSeesTheElementsInOrder() {
        Db db = openDb();
        KeyGroupedInternalPriorityQueue<TestElement> written = factory(db).create("queue", TestElementSerializer.INSTANCE);
        for (long priority = 20; priority >= 1; priority--) {
            written.add(new TestElement(priority % 7, priority));
        }
        written.poll();
        // As after a restore: a queue with an empty cache over the database's elements.
        KeyGroupedInternalPriorityQueue<TestElement> reopened = factory(db).create("queue", TestElementSerializer.INSTANCE);
        assertThat(reopened.size()).isEqualTo(19);
        List<Long> priorities = new ArrayList<>();
        for (TestElement e = reopened.poll(); e != null; e = reopened.poll()) {
            priorities.add(e.getPriority());
        }
        assertThat(priorities).isSorted().hasSize(19).doesNotContain(1L);
        assertThat(factory(db).create("queue", TestElementSerializer.INSTANCE).isEmpty()).isTrue();
    }

    @Test
    void queuesOfTwoNamesAreApart() {
        Db db = openDb();
        SlateDbPriorityQueueSetFactory factory = factory(db);
        KeyGroupedInternalPriorityQueue<TestElement> a = factory.create("a", TestElementSerializer.INSTANCE);
        KeyGroupedInternalPriorityQueue<TestElement> b = factory.create("b", TestElementSerializer.INSTANCE);
        a.add(new TestElement(1, 5));
        b.add(new TestElement(1, 3));
        assertThat(a.size()).isEqualTo(1);
        assertThat(a.poll().getPriority()).isEqualTo(5);
        assertThat(b.poll().getPriority()).isEqualTo(3);
        assertThat(factory(db).create("a", TestElementSerializer.INSTANCE).isEmpty()).isTrue();
    }
}
