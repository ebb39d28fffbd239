package io.assetindex.media.audio;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Durations and bit rates as ffprobe reports them: a stream's length in its time base turned into
 * microseconds rounding half away from zero ({@code av_rescale_q_rnd} with {@code NEAR_INF}),
 * printed with six decimals, and the container's bit rate from the file's size over that
 * duration, in the same floating-point steps, truncated.
 */
final class Timing {
    private static final BigInteger MICROS = BigInteger.valueOf(1_000_000);

    private Timing() {}

    /** {@code ticks × num / den} seconds in microseconds, rounded half away from zero. */
    static long micros(long ticks, long num, long den) throws Unsure {
        if (ticks < 0 || num <= 0 || den <= 0) {
            throw new Unsure("a duration of " + ticks + " × " + num + "/" + den);
        }
        BigInteger scaled = BigInteger.valueOf(ticks).multiply(BigInteger.valueOf(num)).multiply(MICROS);
        BigInteger[] quotient = scaled.add(BigInteger.valueOf(den / 2)).divideAndRemainder(BigInteger.valueOf(den));
        if (quotient[0].bitLength() > 62) {
            throw new Unsure("a duration beyond any real recording");
        }
        return quotient[0].longValueExact();
    }

    /** The duration in seconds as ffprobe prints it ({@code %f}) and the probe reads it back. */
    static double seconds(long micros) {
        double value = micros * (1.0 / 1_000_000);
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The container's bit rate: the whole file over the duration (0 when the duration is 0). */
    static long bitRate(long fileBytes, long micros) {
        if (micros <= 0 || fileBytes <= 0) {
            return 0;
        }
        double bitRate = (double) fileBytes * 8.0 * 1_000_000 / (double) micros;
        return bitRate >= 0 && bitRate <= Long.MAX_VALUE ? (long) bitRate : 0;
    }
}
