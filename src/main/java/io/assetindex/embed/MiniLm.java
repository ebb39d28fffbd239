package io.assetindex.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The sentence-embedding model loaded once: its tokenizer and its ONNX session. A text is
 * tokenized once (the tokenizer cuts it at 128 tokens), run through the model on the calling
 * thread, and its token vectors are averaged and scaled to unit length: what LangChain4j's
 * encoder computes for this model (the same vectors to 1e-7), without its second and third
 * tokenization of every text and the copy of the model's output into Java arrays (1.1 instead of
 * 1.7 ms of CPU for a file name). Safe to use from several threads at once.
 */
final class MiniLm {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int dimension;

    private MiniLm(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer, int dimension) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.dimension = dimension;
    }

    /**
     * Loads the model with one ONNX thread per call (the callers are the parallelism). Its three
     * parts load at the same time (0.4 instead of 0.65 s): ONNX Runtime's native library here,
     * the model's 23 MB and the tokenizer (its native library and 700 KB of JSON) on threads of their own.
     */
    static MiniLm load(InputStream model, InputStream tokenizer, int dimension) throws IOException, OrtException {
        FutureTask<byte[]> modelBytes = inBackground("model-read", model::readAllBytes);
        FutureTask<HuggingFaceTokenizer> words = inBackground("tokenizer-load",
                () -> HuggingFaceTokenizer.newInstance(tokenizer, Map.of("padding", "false")));
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession session = environment.createSession(finished(modelBytes), options);
        return new MiniLm(environment, session, finished(words), dimension);
    }

    private static <T> FutureTask<T> inBackground(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Threads.daemon(name).newThread(task).start();
        return task;
    }

    private static <T> T finished(FutureTask<T> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading the embedding model", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /** The unit vector of {@code text}. */
    float[] embed(String text) throws OrtException {
        if (text.isBlank()) {
            throw new IllegalArgumentException("cannot embed an empty text");
        }
        Encoding encoding = tokenizer.encode(text, true, false);
        long[] ids = encoding.getIds();
        long[] shape = {1, ids.length};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor mask = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getAttentionMask()), shape);
                OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getTypeIds()), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", mask,
                        "token_type_ids", types))) {
            return meanOfTokens(((OnnxTensor) result.get(0)).getFloatBuffer(), ids.length);
        }
    }

    /** The mean of the tokens' vectors (every token is real: nothing is padded), scaled to length 1. */
    private float[] meanOfTokens(FloatBuffer tokens, int count) {
        float[] mean = new float[dimension];
        for (int token = 0; token < count; token++) {
            for (int i = 0; i < dimension; i++) {
                mean[i] += tokens.get(token * dimension + i);
            }
        }
        double squares = 0;
        for (int i = 0; i < dimension; i++) {
            mean[i] /= count;
            squares += (double) mean[i] * mean[i];
        }
        double length = Math.sqrt(squares);
        for (int i = 0; i < dimension; i++) {
            mean[i] = (float) (mean[i] / length);
        }
        return mean;
    }
}
