package io.ticker.feed;

/**
 * A 64-bit fingerprint of a symbol universe (FNV-1a over every symbol and base price, in id order). A feed sends it
 * in its heartbeats so that a server, which generates its universe locally, can check it has the same one: the
 * same {@code --symbols} and {@code --seed}, and a generator that gives the same symbols.
 */
public final class UniverseFingerprint {
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private UniverseFingerprint() {
    }

    /** The fingerprint of {@code universe}. */
    public static long of(final SymbolUniverse universe) {
        long hash = FNV_OFFSET_BASIS;
        for (int id = 0; id < universe.size(); id++) {
            for (final byte b : universe.symbolAscii(id)) {
                hash = (hash ^ (b & 0xff)) * FNV_PRIME;
            }
            hash = (hash ^ ';') * FNV_PRIME;
            final long price = universe.basePrice(id);
            for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
                hash = (hash ^ ((price >>> shift) & 0xff)) * FNV_PRIME;
            }
        }
        return hash;
    }
}
