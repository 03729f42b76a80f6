package org.sdex.core.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.error.SdexException;

/** NumPy .npy files through ND4J's own converter; writes are atomic. */
public final class Npy {
    private Npy() {}

    public static void write(INDArray array, Path file) {
        byte[] bytes = Nd4j.toNpyByteArray(array.dup('c'));
        RunDirectory.writeAtomically(file, tmp -> Files.write(tmp, bytes));
    }

    public static INDArray read(Path file) {
        if (!Files.isRegularFile(file)) throw new SdexException("no such .npy file: " + file);
        try {
            return Nd4j.createFromNpyFile(file.toFile());
        } catch (RuntimeException e) {
            throw new SdexException("not a valid .npy file: " + file + " (" + e.getMessage() + ")", e);
        }
    }

}
