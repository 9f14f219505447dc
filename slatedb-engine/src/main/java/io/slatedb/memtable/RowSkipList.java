package io.slatedb.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A skip list of (key, sequence number) positions in {@link RowKey#ORDER}, each pointing at its row in a
 * {@link RowArena}. Nodes are packed into large {@code long[]} pages instead of being objects: a node
 * is its key's first 16 bytes (as two longs, as in {@link RowKey}), its sequence number, its row's
 * address and, per level, a link and the linked node's first key long. Comparing a node with a search
 * key therefore reads one cache line, and touches the arena only when the 16-byte prefixes are equal; the writer's
 * inserts, which use the prefixes beside the links, read a node only when they move onto it. A node
 * address is its index in the concatenated pages; address 0 is the head, which no link points to, so
 * 0 also means "no node".
 *
 * <p>One thread inserts ({@link #put}); any number search and iterate without locks. A new node is
 * completely written, links included, before a release store links it in, level 0 first; readers
 * load links with acquire. A reader thus sees each node whole, and at level 0 sees every node linked
 * before it started. A replaced row's address is swapped with a release store too.
 */
final class RowSkipList {
    static final int MAX_HEIGHT = 12;
    /** Levels are promoted with probability 1/4, as in LevelDB: fewer nodes to visit per level. */
    private static final int BRANCHING_BITS = 2;

    private static final int PREFIX = 0;
    private static final int PREFIX2 = 1;
    private static final int SEQ = 2;
    private static final int ROW = 3;
    private static final int LINKS = 4;
    private static final int HEAD = 0;

    /** 256 KiB pages, below G1's humongous-object threshold (see {@link RowArena#PAGE_BYTES}). */
    private static final int PAGE_SHIFT = 15;
    private static final int PAGE_LONGS = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_LONGS - 1;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final RowArena arena;
    /** The page directory; replaced (never changed in place) when it grows, so readers need no lock. */
    private volatile long[][] pages;
    /** The same directory for the writer, which alone replaces it: read without the volatile load's ordering. */
    private long[][] ownPages;
    /** The tallest node's height; readers may start lower, which costs only time. */
    private volatile int height = 1;
    // Writer only.
    private int pageCount;
    /** Slots used in the last page. */
    private int used;
    private long random = 0x9E3779B97F4A7C15L;
    /**
     * The finger: after a put, each level's last node at or before {@link #previous}, the put's position.
     * Every one of them precedes any later position, so a put of a larger key starts its search there.
     */
    private final int[] preds = new int[MAX_HEIGHT];
    private RowKey previous;

    RowSkipList(RowArena arena) {
        this.arena = arena;
        long[] first = new long[PAGE_LONGS];
        this.pages = new long[][] {first, null, null, null};
        this.ownPages = pages;
        this.pageCount = 1;
        this.used = LINKS + 2 * MAX_HEIGHT; // the head's tower
    }

    /**
     * Links a node at {@code key} for the row at {@code row}, or, when a node for (key, seq) exists,
     * points it at {@code row} instead. Returns the replaced row's address, or -1. Writer only.
     */
    long put(RowKey key, long row) {
        long prefix = key.prefix();
        // Where the descent starts: from the top at the head, or, for a key after the previous put's
        // (a write batch's rows arrive in key order), at the lowest level whose finger brackets the key.
        int start = MAX_HEIGHT;
        if (previous != null && RowKey.ORDER.compare(previous, key) < 0) {
            start = 0;
            while (start < MAX_HEIGHT && !stopsBefore(preds[start], start, prefix, key)) {
                start++;
            }
        }
        int x = start < MAX_HEIGHT ? preds[start] : HEAD;
        for (int level = start - 1; level >= 0; level--) {
            while (!stopsBefore(x, level, prefix, key)) {
                x = (int) ownPage(x)[(x & PAGE_MASK) + link(level)];
            }
            preds[level] = x;
        }
        x = preds[0];
        previous = key;
        long[] predPage0 = ownPage(x);
        int predAt0 = (x & PAGE_MASK) + link(0);
        int found = (int) predPage0[predAt0];
        // A node at this very position must have the same prefix; checking the prefix beside the link
        // first spares the usual insert a read of the following node.
        if (found != 0 && predPage0[predAt0 + 1] == prefix && compare(ownPage(found), found, key) == 0) {
            long[] page = ownPage(found);
            int at = found & PAGE_MASK;
            long replaced = page[at + ROW];
            SLOT.setRelease(page, at + ROW, row);
            return replaced;
        }
        int nodeHeight = randomHeight();
        int node = allocate(LINKS + 2 * nodeHeight);
        long[] page = ownPage(node);
        int at = node & PAGE_MASK;
        page[at + PREFIX] = prefix;
        page[at + PREFIX2] = key.prefix2();
        page[at + SEQ] = key.seq();
        page[at + ROW] = row;
        for (int level = 0; level < nodeHeight; level++) {
            long[] predPage = ownPage(preds[level]);
            int predAt = (preds[level] & PAGE_MASK) + link(level);
            page[at + link(level)] = predPage[predAt];
            page[at + link(level) + 1] = predPage[predAt + 1];
        }
        for (int level = 0; level < nodeHeight; level++) {
            long[] predPage = ownPage(preds[level]);
            int predAt = (preds[level] & PAGE_MASK) + link(level);
            // Readers never read the prefix beside a link, so it needs no ordering; the link does.
            predPage[predAt + 1] = prefix;
            SLOT.setRelease(predPage, predAt, (long) node);
        }
        if (nodeHeight > height) {
            height = nodeHeight;
        }
        // The finger: every level's last node at or before the new one.
        for (int level = 0; level < nodeHeight; level++) {
            preds[level] = node;
        }
        return -1;
    }

    /**
     * Whether a search for {@code key} stops at {@code x} on {@code level}: x's following node there is
     * at or after the key, or there is none. The following node's prefix is kept beside the link, so
     * deciding not to move right costs no access to that node; only equal prefixes need the node's key.
     */
    private boolean stopsBefore(int x, int level, long prefix, RowKey key) {
        long[] page = ownPage(x);
        int at = (x & PAGE_MASK) + link(level);
        int following = (int) page[at];
        if (following == 0) {
            return true;
        }
        int byPrefix = Long.compareUnsigned(page[at + 1], prefix);
        return byPrefix > 0 || (byPrefix == 0 && compare(ownPage(following), following, key) >= 0);
    }

    /** The first node at or after {@code key}, or 0. */
    int seek(RowKey key) {
        int x = HEAD;
        int following = 0;
        for (int level = height - 1; level >= 0; level--) {
            while (true) {
                following = (int) acquire(x, link(level));
                if (following == 0 || compare(page(following), following, key) >= 0) {
                    break;
                }
                x = following;
            }
        }
        // The node compared last, not x's link read again: the writer may have linked a smaller one since.
        return following;
    }

    /** The first node, or 0 when the list is empty. */
    int first() {
        return (int) acquire(HEAD, link(0));
    }

    /** The last node, or 0 when the list is empty. */
    int last() {
        int x = HEAD;
        for (int level = height - 1; level >= 0; level--) {
            while (true) {
                int following = (int) acquire(x, link(level));
                if (following == 0) {
                    break;
                }
                x = following;
            }
        }
        return x;
    }

    /** The node after {@code node} at level 0, or 0. */
    int next(int node) {
        return (int) acquire(node, link(0));
    }

    long seq(int node) {
        return page(node)[(node & PAGE_MASK) + SEQ];
    }

    /** The address of the node's row in the arena. */
    long row(int node) {
        return (long) SLOT.getAcquire(page(node), (node & PAGE_MASK) + ROW);
    }

    /** Compares the position of {@code node}, which is in {@code page}, with {@code key} in {@link RowKey#ORDER}. */
    private int compare(long[] page, int node, RowKey key) {
        int at = node & PAGE_MASK;
        int byPrefix = Long.compareUnsigned(page[at + PREFIX], key.prefix());
        if (byPrefix != 0) {
            return byPrefix;
        }
        int byPrefix2 = Long.compareUnsigned(page[at + PREFIX2], key.prefix2());
        if (byPrefix2 != 0) {
            return byPrefix2;
        }
        int byKey = arena.compareKey((long) SLOT.getAcquire(page, at + ROW), key.key());
        return byKey != 0 ? byKey : Long.compareUnsigned(key.seq(), page[at + SEQ]);
    }

    /** The slot of a node's link at {@code level}; the slot after it holds the linked node's prefix. */
    private static int link(int level) {
        return LINKS + 2 * level;
    }

    private long slot(int node, int field) {
        return page(node)[(node & PAGE_MASK) + field];
    }

    private long acquire(int node, int field) {
        return (long) SLOT.getAcquire(page(node), (node & PAGE_MASK) + field);
    }

    private long[] page(int node) {
        return pages[node >>> PAGE_SHIFT];
    }

    /** The writer's {@link #page}: from its own plain reference to the directory, which it can keep in a register. */
    private long[] ownPage(int node) {
        return ownPages[node >>> PAGE_SHIFT];
    }

    /** Reserves {@code longs} consecutive slots within one page; returns the first one's address. */
    private int allocate(int longs) {
        if (used + longs > PAGE_LONGS) {
            if (pageCount >= (Integer.MAX_VALUE >>> PAGE_SHIFT)) {
                throw new IllegalStateException("memtable holds too many rows");
            }
            long[][] directory = pages;
            if (pageCount == directory.length) {
                directory = Arrays.copyOf(directory, directory.length * 2);
            }
            directory[pageCount++] = new long[PAGE_LONGS];
            used = 0;
            ownPages = directory;
            pages = directory;
        }
        int node = ((pageCount - 1) << PAGE_SHIFT) | used;
        used += longs;
        return node;
    }

    private int randomHeight() {
        // xorshift64: a cheap generator the writer thread owns.
        long r = random;
        r ^= r << 13;
        r ^= r >>> 7;
        r ^= r << 17;
        random = r;
        int nodeHeight = 1;
        while (nodeHeight < MAX_HEIGHT && (r & ((1 << BRANCHING_BITS) - 1)) == 0) {
            nodeHeight++;
            r >>>= BRANCHING_BITS;
        }
        return nodeHeight;
    }
}
