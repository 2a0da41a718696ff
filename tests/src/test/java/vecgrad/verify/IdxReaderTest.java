package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.nn.data.IdxReader;

/** FAULTS.md §4, cases 49-57, on small hand-made files. */
class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int v : dims) {
            b.putInt(v);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static final byte[] PIXELS = {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF, 10, 20, 30, 40, 50, 60};

    @Test
    void fault56_pixelsAreUnsigned() throws IOException {
        Path images = write("img", idx(0x08, new int[] {2, 2, 3}, PIXELS));
        IdxReader.Images im = IdxReader.readImages(images);
        assertEquals(2, im.count());
        assertEquals(255, im.pixel(0, 1, 2));
        assertEquals(128, im.pixel(0, 1, 0));
        assertEquals(60, im.pixel(1, 1, 2));
        float[][] rows = im.toFloatRows();
        assertEquals(1.0f, rows[0][5]);
        assertEquals(0.0f, rows[0][0]);
        assertEquals(127 / 255f, rows[0][2]);
    }

    @Test
    void fault53_gzipIsTransparentAndCorruptGzipNamesTheOffset() throws IOException {
        byte[] raw = idx(0x08, new int[] {2, 2, 3}, PIXELS);
        Path gz = write("img.gz", gzip(raw));
        assertArrayEquals(IdxReader.readImages(write("img", raw)).pixels(), IdxReader.readImages(gz).pixels());
        byte[] broken = gzip(raw);
        broken = Arrays.copyOf(broken, broken.length - 6); // cut the trailer
        Path bad = write("bad.gz", broken);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(bad));
        assertTrue(e.getMessage().contains("bad.gz") && e.getMessage().contains("offset"), e.getMessage());
    }

    @Test
    void fault49_badMagicOrTypeCode() throws IOException {
        byte[] raw = idx(0x08, new int[] {3}, new byte[] {1, 2, 3});
        raw[0] = 0x12;
        Path bad = write("magic", raw);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(bad));
        assertTrue(e.getMessage().contains("not an IDX file: magic 0x12") && e.getMessage().contains("magic"),
                e.getMessage());
        Path type = write("type", idx(0x0A, new int[] {3}, new byte[] {1, 2, 3}));
        e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(type));
        assertTrue(e.getMessage().contains("0x0A"), e.getMessage());
    }

    @Test
    void fault50_wrongRank() throws IOException {
        Path labels = write("labels", idx(0x08, new int[] {2, 2}, new byte[] {1, 2, 3, 4}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.readLabels(labels, 10));
        assertTrue(e.getMessage().contains("expected 1"), e.getMessage());
        Path images = write("images", idx(0x08, new int[] {4}, new byte[] {1, 2, 3, 4}));
        e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(images));
        assertTrue(e.getMessage().contains("expected 3"), e.getMessage());
    }

    @Test
    void fault51_payloadTooShortOrTooLong() throws IOException {
        byte[] raw = idx(0x08, new int[] {2, 2, 3}, PIXELS);
        Path shorter = write("short", Arrays.copyOf(raw, raw.length - 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(shorter));
        assertTrue(e.getMessage().contains("short") && e.getMessage().contains("got " + (raw.length - 1))
                && e.getMessage().contains("expected " + raw.length), e.getMessage());
        Path longer = write("long", Arrays.copyOf(raw, raw.length + 2));
        e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(longer));
        assertTrue(e.getMessage().contains("expected " + raw.length), e.getMessage());
    }

    @Test
    void fault52_dimensionProductOverflowIsCaughtBeforeAllocation() throws IOException {
        Path huge = write("huge", idx(0x08, new int[] {65536, 65536, 2}, new byte[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.read(huge));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void fault54_imageAndLabelCountsDiffer() throws IOException {
        Path images = write("images", idx(0x08, new int[] {2, 2, 3}, PIXELS));
        Path labels = write("labels", idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.read(images, labels, 10));
        assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels")
                && e.getMessage().contains(images.toString()) && e.getMessage().contains(labels.toString()),
                e.getMessage());
    }

    @Test
    void fault55_labelOutOfRangeNamesTheIndex() throws IOException {
        Path labels = write("labels", idx(0x08, new int[] {4}, new byte[] {1, 9, 10, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.readLabels(labels, 10));
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        assertArrayEquals(new int[] {1, 9, 10, 3}, IdxReader.readLabels(labels, 11));
    }

    @Test
    void fault57_missingFileGivesPathAndHint() {
        Path missing = dir.resolve("nope-images-idx3-ubyte");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(missing));
        assertTrue(e.getMessage().contains(missing.toString())
                && e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void otherElementTypesAreDecodedBigEndian() throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(2 * 8).putDouble(-1.5).putDouble(1e300);
        IdxReader.IdxArray doubles = IdxReader.read(write("d", idx(0x0E, new int[] {2}, payload.array())));
        assertEquals(-1.5, doubles.get(0));
        assertEquals(1e300, doubles.get(1));
        ByteBuffer ints = ByteBuffer.allocate(8).putInt(-7).putInt(123456789);
        IdxReader.IdxArray i = IdxReader.read(write("i", idx(0x0C, new int[] {1, 2}, ints.array())));
        assertArrayEquals(new int[] {1, 2}, i.dims());
        assertEquals(-7, i.get(0));
        assertEquals(123456789, i.get(1));
        IdxReader.IdxArray signed = IdxReader.read(write("b", idx(0x09, new int[] {1}, new byte[] {(byte) 0xFF})));
        assertEquals(-1, signed.get(0));
    }
}
