package io.ticker.loadgen.decode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Symbols to dense {@code int} ids, looked up straight from the bytes of a frame so that a quote costs no
 * {@link String}. The table is copy-on-write: lookups read a published snapshot without locks from any event loop; a
 * symbol the server's list did not name is added under a lock, which is the cold path (once per new symbol).
 */
public final class SymbolTable {
    /** Returned by {@link #find} for a symbol the table does not hold. */
    public static final int UNKNOWN = -1;

    private volatile Snapshot snapshot = new Snapshot(new ArrayList<>());

    /** A table holding {@code symbols} with ids 0, 1, 2... in list order. */
    public SymbolTable(final List<String> symbols) {
        for (final String symbol : symbols) {
            idOf(symbol);
        }
    }

    /** How many symbols the table holds. */
    public int size() {
        return snapshot.names.size();
    }

    /** The symbol with this id. */
    public String name(final int id) {
        return snapshot.names.get(id);
    }

    /** The symbols in id order. */
    public List<String> names() {
        return List.copyOf(snapshot.names);
    }

    /** The id of {@code length} bytes at {@code offset} of {@code buffer}, or {@link #UNKNOWN}. Allocation-free. */
    public int find(final byte[] buffer, final int offset, final int length) {
        return snapshot.find(buffer, offset, length);
    }

    /** The id of the symbol at these bytes, adding it when new (allocates only then). */
    public int findOrAdd(final byte[] buffer, final int offset, final int length) {
        final int id = find(buffer, offset, length);
        return id != UNKNOWN ? id : idOf(new String(buffer, offset, length, StandardCharsets.UTF_8));
    }

    /** The id of {@code symbol}, adding it when new. */
    public synchronized int idOf(final String symbol) {
        final byte[] bytes = symbol.getBytes(StandardCharsets.UTF_8);
        final Snapshot current = snapshot;
        final int existing = current.find(bytes);
        if (existing != UNKNOWN) {
            return existing;
        }
        final List<String> names = new ArrayList<>(current.names);
        names.add(symbol);
        snapshot = new Snapshot(names);
        return names.size() - 1;
    }

    /** An immutable open-addressing table; the load factor stays at or under one half. */
    private static final class Snapshot {
        private final List<String> names;
        private final byte[][] keys;
        private final int[] ids;
        private final int mask;

        Snapshot(final List<String> names) {
            this.names = names;
            int capacity = 16;
            while (capacity < names.size() * 2) {
                capacity <<= 1;
            }
            keys = new byte[capacity][];
            ids = new int[capacity];
            mask = capacity - 1;
            for (int id = 0; id < names.size(); id++) {
                final byte[] key = names.get(id).getBytes(StandardCharsets.UTF_8);
                int slot = hash(key) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                ids[slot] = id;
            }
        }

        int find(final byte[] buffer, final int offset, final int length) {
            int h = 0;
            for (int i = 0; i < length; i++) {
                h = 31 * h + buffer[offset + i];
            }
            int slot = mix(h) & mask;
            while (true) {
                final byte[] key = keys[slot];
                if (key == null) {
                    return UNKNOWN;
                }
                if (key.length == length && equal(key, buffer, offset)) {
                    return ids[slot];
                }
                slot = (slot + 1) & mask;
            }
        }

        int find(final byte[] bytes) {
            int slot = hash(bytes) & mask;
            while (true) {
                final byte[] key = keys[slot];
                if (key == null) {
                    return UNKNOWN;
                }
                if (java.util.Arrays.equals(key, bytes)) {
                    return ids[slot];
                }
                slot = (slot + 1) & mask;
            }
        }

        private static boolean equal(final byte[] key, final byte[] buffer, final int offset) {
            for (int i = 0; i < key.length; i++) {
                if (key[i] != buffer[offset + i]) {
                    return false;
                }
            }
            return true;
        }

        private static int hash(final byte[] key) {
            int h = 0;
            for (final byte b : key) {
                h = 31 * h + b;
            }
            return mix(h);
        }

        private static int mix(final int h) {
            return h ^ (h >>> 16) ^ (h >>> 7);
        }
    }
}
