package org.sdex.core.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NumPy .npy files: written through ND4J's converter, atomically; read through the checked {@link NpyReader}. */
public final class Npy {
    private Npy() {}

    public static void write(INDArray array, Path file) {
        byte[] bytes = Nd4j.toNpyByteArray(array.dup('c'));
        RunDirectory.writeAtomically(file, tmp -> Files.write(tmp, bytes));
    }

    /** A checked read ({@link NpyReader}) as doubles: never ND4J's own reader, which trusts the header. */
    public static INDArray read(Path file) {
        NpyReader.Array a = NpyReader.read(file);
        return Nd4j.create(a.values(), a.shape(), DataType.DOUBLE);
    }

}
