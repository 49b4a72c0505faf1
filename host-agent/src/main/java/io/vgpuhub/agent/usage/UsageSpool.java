package io.vgpuhub.agent.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.vgpuhub.agent.server.UsageBatch;

/**
 * Durable spool of usage samples under {@code <stateDir>/spool/}: samples are appended and fsync'd before
 * {@link #append} returns, cut into batches whose batch id is fsync'd before the first upload attempt, and deleted only
 * after the server accepted their batch. A crash or kill at any point loses no sample that {@link #append} returned
 * for, and a batch is re-sent after a restart with the same batch id and the same samples, so the server (which counts
 * a batch id once) never counts a sample twice.
 *
 * <h2>On-disk format</h2>
 * <ul>
 * <li>{@code segment-<first seq, 20 digits>.log}: append-only segment files of records. Every sample gets a sequence
 * number, one more than the previous, starting at 1 and never reused. A record is
 * <pre>
 *   int32  big-endian  L, the length of the JSON payload (1..65536)
 *   int32  big-endian  CRC32C of the 8 + L bytes that follow
 *   int64  big-endian  the sample's sequence number
 *   L bytes            the sample as UTF-8 JSON, exactly the object sent to the server
 * </pre>
 * A new segment is started when the current one would grow past {@link Limits#segmentBytes()}.</li>
 * <li>{@code state.json}: {@code {"nextToBatch":n,"dropped":d,"batch":{"batchId":"<uuid>","firstSeq":a,"lastSeq":b}}},
 * where {@code batch} (absent when none) is the batch cut and not yet accepted by the server, {@code nextToBatch} the
 * first sample not in any batch yet, and {@code dropped} how many samples were dropped for space, ever. It is replaced
 * atomically (write {@code state.json.tmp}, fsync, rename, fsync the directory).</li>
 * <li>{@code lock}: held with an exclusive file lock while a spool is open, so two agents on one state directory
 * cannot both send (and the second fails to start instead). The operating system releases it when a process dies.</li>
 * </ul>
 *
 * <h2>Recovery</h2> On {@link #open}, every segment is read through. The first record that is short, has an impossible
 * length, a CRC mismatch or an unexpected sequence number ends that segment: it is the torn tail of a write cut short
 * by a crash, and the file is truncated there (logged). Records before it were fsync'd and are kept. A missing state
 * file means an empty spool; a state file that cannot be read is set aside and the spool starts from its oldest sample.
 *
 * <h2>Space</h2> The spool holds at most {@link Limits#maxBytes()} of segments (default 256 MiB: days of samples of a
 * full host). When an append takes it past that, the oldest samples <em>not yet cut into a batch</em> are dropped,
 * whole segments at a time, and the count is logged as a warning and kept in {@code dropped}. That is the only case in
 * which the spool loses a sample (apart from it, a batch the server refuses as invalid is skipped by the
 * {@link UsageUploader}: a server decision, logged as an error). Segments whose samples were all accepted (or dropped) are deleted.
 *
 * <p>Thread-safe: the sampler appends while the uploader takes and completes batches.
 */
public final class UsageSpool implements AutoCloseable {

    /**
     * @param segmentBytes size after which a new segment file is started
     * @param maxBytes the most the segments may take on disk; at least two segments
     * @param maxBatchSamples the most samples in one uploaded batch
     */
    public record Limits(long segmentBytes, long maxBytes, int maxBatchSamples) {

        public static final Limits DEFAULT = new Limits(8L << 20, 256L << 20, 500);

        public Limits {
            if (segmentBytes < 1024) {
                throw new IllegalArgumentException("segmentBytes must be at least 1024: " + segmentBytes);
            }
            if (maxBytes < 2 * segmentBytes) {
                throw new IllegalArgumentException("maxBytes must be at least two segments: " + maxBytes);
            }
            if (maxBatchSamples < 1) {
                throw new IllegalArgumentException("maxBatchSamples must be positive: " + maxBatchSamples);
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(UsageSpool.class);
    private static final int HEADER_BYTES = 16;
    private static final int MAX_PAYLOAD = 65536;
    private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{20})\\.log");
    private static final String STATE = "state.json";

    /** The persisted state; {@code batch} is null when no batch is in flight. */
    record State(long nextToBatch, long dropped, PendingBatch batch) {
    }

    record PendingBatch(String batchId, long firstSeq, long lastSeq) {
    }

    private static final class Segment {
        final long firstSeq;
        final Path path;
        long lastSeq;
        long bytes;

        Segment(long firstSeq, Path path) {
            this.firstSeq = firstSeq;
            this.path = path;
            this.lastSeq = firstSeq - 1;
        }

        boolean isEmpty() {
            return lastSeq < firstSeq;
        }
    }

    private final Path dir;
    private final Limits limits;
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<Segment> segments = new ArrayList<>();
    private State state;
    private long nextSeq;
    private FileChannel active;
    private FileChannel lock;

    private UsageSpool(Path dir, Limits limits) {
        this.dir = dir;
        this.limits = limits;
    }

    /** Opens (creating if need be) the spool in {@code dir} with the default limits, recovering from any crash. */
    public static UsageSpool open(Path dir) {
        return open(dir, Limits.DEFAULT);
    }

    public static UsageSpool open(Path dir, Limits limits) {
        UsageSpool spool = new UsageSpool(dir, limits);
        try {
            spool.recover();
        }
        catch (IOException e) {
            spool.closeQuietly();
            throw new UncheckedIOException("cannot open the usage spool in " + dir, e);
        }
        catch (RuntimeException e) {
            spool.closeQuietly();
            throw e;
        }
        return spool;
    }

    /** Appends the samples and fsyncs them: when this returns, they survive a crash. */
    public synchronized void append(List<UsageBatch.Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        ensureOpen();
        try {
            ByteBuffer records = encode(samples);
            Segment segment = segments.get(segments.size() - 1);
            if (!segment.isEmpty() && segment.bytes + records.remaining() > limits.segmentBytes()) {
                segment = rotate();
            }
            long before = segment.bytes;
            try {
                long position = before;
                while (records.hasRemaining()) {
                    position += active.write(records, position);
                }
                active.force(false);
                segment.bytes = position;
            }
            catch (IOException e) {
                truncateQuietly(before);
                segment.bytes = before;
                throw e;
            }
            segment.lastSeq = nextSeq + samples.size() - 1;
            nextSeq += samples.size();
            notifyAll();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot append to the usage spool in " + dir, e);
        }
        enforceLimit();
    }

    /**
     * The batch to upload next: the batch in flight if there is one (the same id and samples as before, across
     * restarts), else a new batch of the oldest samples, whose id is fsync'd before this returns. Empty when there is
     * nothing to upload.
     */
    public synchronized Optional<UsageBatch> nextBatch() {
        ensureOpen();
        while (true) {
            PendingBatch batch = state.batch();
            if (batch == null) {
                long first = Math.max(state.nextToBatch(), oldestSeq());
                if (first >= nextSeq) {
                    return Optional.empty();
                }
                long last = Math.min(nextSeq - 1, first + limits.maxBatchSamples() - 1);
                batch = new PendingBatch(UUID.randomUUID().toString(), first, last);
                writeState(new State(last + 1, state.dropped(), batch));
            }
            List<UsageBatch.Sample> samples = read(batch.firstSeq(), batch.lastSeq());
            if (!samples.isEmpty()) {
                return Optional.of(new UsageBatch(batch.batchId(), samples));
            }
            // Only where segments were lost outside the spool's control: nothing to send for this range.
            writeState(new State(state.nextToBatch(), state.dropped(), null));
        }
    }

    /** The server accepted the batch: forgets it durably and deletes the segments no longer needed. */
    public synchronized void completed(String batchId) {
        ensureOpen();
        PendingBatch batch = state.batch();
        if (batch == null || !batch.batchId().equals(batchId)) {
            throw new IllegalStateException("batch " + batchId + " is not the batch in flight");
        }
        writeState(new State(state.nextToBatch(), state.dropped(), null));
        deleteUnneededSegments();
    }

    /** Samples not yet accepted by the server (in the batch in flight or not yet batched). */
    public synchronized long pendingSamples() {
        long batched = state.batch() == null ? 0 : state.batch().lastSeq() - state.batch().firstSeq() + 1;
        return batched + Math.max(0, nextSeq - Math.max(state.nextToBatch(), oldestSeq()));
    }

    /** Samples dropped for space since the spool was created. */
    public synchronized long droppedSamples() {
        return state.dropped();
    }

    /** Bytes the segment files take. */
    public synchronized long diskBytes() {
        return segments.stream().mapToLong(s -> s.bytes).sum();
    }

    /** Waits until samples are appended or the timeout passes; returns at once when something is pending. */
    public synchronized void awaitPending(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long left = timeoutMillis;
        while (pendingSamples() == 0 && left > 0) {
            wait(left);
            left = deadline - System.currentTimeMillis();
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
        notifyAll();
    }

    // ---------------------------------------------------------------- recovery

    private void recover() throws IOException {
        Files.createDirectories(dir);
        lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lock.tryLock();
        }
        catch (OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            throw new IOException("the usage spool is in use by another agent (" + dir.resolve("lock") + " is locked)");
        }
        Files.deleteIfExists(dir.resolve(STATE + ".tmp"));
        State recorded = readState();
        boolean stateMissing = recorded == null;
        List<Segment> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "segment-*.log")) {
            for (Path file : files) {
                Matcher m = SEGMENT_NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    found.add(new Segment(Long.parseLong(m.group(1)), file));
                }
            }
        }
        found.sort((a, b) -> Long.compare(a.firstSeq, b.firstSeq));
        for (Segment segment : found) {
            scan(segment);
        }
        segments.addAll(found);
        long lastOnDisk = found.isEmpty() ? 0 : found.get(found.size() - 1).lastSeq;
        if (recorded == null) {
            long oldest = found.isEmpty() ? 1 : found.get(0).firstSeq;
            recorded = new State(oldest, 0, null);
        }
        state = recorded;
        nextSeq = Math.max(Math.max(lastOnDisk + 1, state.nextToBatch()), state.batch() == null ? 1 : state.batch().lastSeq() + 1);
        if (stateMissing) {
            writeState(state);
        }
        deleteUnneededSegments();
        Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last == null || last.bytes >= limits.segmentBytes() || last.lastSeq + 1 != nextSeq) {
            rotate();
        }
        else {
            openActive(segments.get(segments.size() - 1));
        }
        long pending = pendingSamples();
        if (pending > 0) {
            log.info("usage spool {}: {} samples waiting for upload{}", dir, pending,
                    state.batch() == null ? "" : ", batch " + state.batch().batchId() + " in flight");
        }
    }

    /** Reads the segment through, truncating a torn tail; sets its lastSeq and size. */
    private void scan(Segment segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long position = 0;
            long expected = segment.firstSeq;
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            String torn = null;
            while (position < size) {
                if (size - position < HEADER_BYTES) {
                    torn = "a partial record header";
                    break;
                }
                header.clear();
                readFully(channel, header, position);
                int length = header.getInt(0);
                int crc = header.getInt(4);
                long seq = header.getLong(8);
                if (length < 1 || length > MAX_PAYLOAD) {
                    torn = "an impossible record length " + length;
                    break;
                }
                if (size - position - HEADER_BYTES < length) {
                    torn = "a partial record";
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(channel, payload, position + HEADER_BYTES);
                if (crc(seq, payload.array()) != crc) {
                    torn = "a record with a wrong checksum";
                    break;
                }
                if (seq != expected) {
                    torn = "sequence number " + seq + " where " + expected + " was expected";
                    break;
                }
                expected++;
                position += HEADER_BYTES + length;
            }
            if (torn != null) {
                log.warn("usage spool segment {}: ignoring {} bytes from offset {} ({}), the tail of a write cut short",
                        segment.path.getFileName(), size - position, position, torn);
                channel.truncate(position);
                channel.force(true);
            }
            segment.lastSeq = expected - 1;
            segment.bytes = position;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private State readState() throws IOException {
        Path file = dir.resolve(STATE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return json.readValue(Files.readAllBytes(file), State.class);
        }
        catch (JacksonException e) {
            Path aside = dir.resolve(STATE + ".unreadable-" + System.currentTimeMillis());
            Files.move(file, aside);
            log.error("usage spool state {} cannot be read ({}); moved it to {} and starting from the oldest spooled sample",
                    file, e.getOriginalMessage(), aside.getFileName());
            return null;
        }
    }

    // ---------------------------------------------------------------- writing

    private ByteBuffer encode(List<UsageBatch.Sample> samples) {
        List<byte[]> payloads = new ArrayList<>(samples.size());
        int total = 0;
        for (UsageBatch.Sample sample : samples) {
            byte[] payload = json.writeValueAsBytes(sample);
            if (payload.length > MAX_PAYLOAD) {
                throw new IllegalArgumentException("sample too large to spool: " + payload.length + " bytes");
            }
            payloads.add(payload);
            total += HEADER_BYTES + payload.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        long seq = nextSeq;
        for (byte[] payload : payloads) {
            buffer.putInt(payload.length).putInt(crc(seq, payload)).putLong(seq).put(payload);
            seq++;
        }
        return buffer.flip();
    }

    private static int crc(long seq, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, seq));
        crc.update(payload);
        return (int) crc.getValue();
    }

    private Segment rotate() throws IOException {
        if (active != null) {
            active.close();
            active = null;
        }
        Segment segment = new Segment(nextSeq, dir.resolve(String.format("segment-%020d.log", nextSeq)));
        segments.add(segment);
        openActive(segment);
        forceDirectory();
        return segment;
    }

    private void openActive(Segment segment) throws IOException {
        active = FileChannel.open(segment.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        segment.bytes = active.size();
    }

    private void truncateQuietly(long size) {
        try {
            active.truncate(size);
        }
        catch (IOException e) {
            log.warn("cannot truncate usage spool segment after a failed write: {}", e.toString());
        }
    }

    private void writeState(State next) {
        Path tmp = dir.resolve(STATE + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(json.writeValueAsString(next).getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the usage spool state in " + dir, e);
        }
        state = next;
    }

    private void forceDirectory() throws IOException {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    // ---------------------------------------------------------------- reading and reclaiming

    private List<UsageBatch.Sample> read(long firstSeq, long lastSeq) {
        List<UsageBatch.Sample> samples = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.isEmpty() || segment.lastSeq < firstSeq || segment.firstSeq > lastSeq) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
                long position = 0;
                long seq = segment.firstSeq;
                while (seq <= Math.min(segment.lastSeq, lastSeq)) {
                    header.clear();
                    readFully(channel, header, position);
                    int length = header.getInt(0);
                    if (seq >= firstSeq) {
                        ByteBuffer payload = ByteBuffer.allocate(length);
                        readFully(channel, payload, position + HEADER_BYTES);
                        samples.add(json.readValue(payload.array(), UsageBatch.Sample.class));
                    }
                    position += HEADER_BYTES + length;
                    seq++;
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read usage spool segment " + segment.path, e);
            }
        }
        return samples;
    }

    /** The oldest sequence number still on disk, or nextSeq when none is. */
    private long oldestSeq() {
        for (Segment segment : segments) {
            if (!segment.isEmpty()) {
                return segment.firstSeq;
            }
        }
        return nextSeq;
    }

    /** Whether the segment holds a sample of the batch in flight or one not yet batched. */
    private boolean needed(Segment segment) {
        PendingBatch batch = state.batch();
        boolean holdsBatch = batch != null && segment.firstSeq <= batch.lastSeq() && segment.lastSeq >= batch.firstSeq();
        return !segment.isEmpty() && (holdsBatch || segment.lastSeq >= state.nextToBatch());
    }

    /** Deletes every segment but the last (the one appended to) whose samples are all accepted or dropped. */
    private void deleteUnneededSegments() {
        boolean deleted = false;
        for (int i = 0; i < segments.size() - 1; i++) {
            Segment segment = segments.get(i);
            if (!needed(segment)) {
                try {
                    Files.deleteIfExists(segment.path);
                }
                catch (IOException e) {
                    log.warn("cannot delete usage spool segment {}: {}", segment.path, e.toString());
                    continue;
                }
                segments.remove(i--);
                deleted = true;
            }
        }
        if (deleted) {
            try {
                forceDirectory();
            }
            catch (IOException e) {
                log.warn("cannot fsync the usage spool directory {}: {}", dir, e.toString());
            }
        }
    }

    /** Over the limit: drops the oldest un-batched samples, a segment at a time, until a segment can be deleted. */
    private void enforceLimit() {
        long dropped = 0;
        while (diskBytes() > limits.maxBytes()) {
            Segment victim = null;
            for (int i = 0; i < segments.size() - 1; i++) {
                if (!segments.get(i).isEmpty() && segments.get(i).lastSeq >= state.nextToBatch()) {
                    victim = segments.get(i);
                    break;
                }
            }
            if (victim == null) {
                log.warn("usage spool {} holds {} bytes, over its limit of {}, but only samples of the batch in flight "
                        + "or of the current segment; keeping them", dir, diskBytes(), limits.maxBytes());
                break;
            }
            long from = Math.max(state.nextToBatch(), victim.firstSeq);
            long count = victim.lastSeq - from + 1;
            dropped += count;
            writeState(new State(victim.lastSeq + 1, state.dropped() + count, state.batch()));
            deleteUnneededSegments();
        }
        if (dropped > 0) {
            log.warn("usage spool {} is full (limit {} bytes, the server has not accepted samples for a long time): "
                    + "dropped the {} oldest samples not yet uploaded; {} dropped in all", dir, limits.maxBytes(), dropped,
                    state.dropped());
        }
    }

    private void ensureOpen() {
        if (active == null) {
            throw new IllegalStateException("usage spool " + dir + " is closed");
        }
    }

    private void closeQuietly() {
        if (lock != null) {
            try {
                lock.close();
            }
            catch (IOException e) {
                log.warn("cannot release the usage spool lock: {}", e.toString());
            }
            lock = null;
        }
        if (active != null) {
            try {
                active.close();
            }
            catch (IOException e) {
                log.warn("cannot close usage spool segment: {}", e.toString());
            }
            active = null;
        }
    }
}
