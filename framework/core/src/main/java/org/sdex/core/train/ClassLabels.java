package org.sdex.core.train;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The class labels a class-conditional network's graphs read (INT32 [B] through one placeholder),
 * with label {@code count()} as the null label: what a pass without labels is given, and what label
 * dropout trains. An unconditional network's graphs have no such input.
 */
record ClassLabels(int count) {
    /** The placeholder's name in every graph of a class-conditional network. */
    static final String NAME = "class_label";

    /** The class-label placeholder of a class-conditional graph for batches of {@code rows} (-1: any). */
    static SDVariable placeholder(SameDiff g, long rows) {
        return g.placeHolder(NAME, DataType.INT32, rows);
    }

    /**
     * {@code inputs} with the class labels a class-conditional graph reads: {@code classLabels}
     * (INT32 [rows], each in [0, count]) or, when null, the null label for every row. An
     * unconditional graph reads none, and refuses any.
     */
    Map<String, INDArray> feed(Map<String, INDArray> inputs, INDArray classLabels, long rows) {
        if (count == 0) {
            if (classLabels != null) throw new IllegalArgumentException("the network is unconditional; it takes no class labels");
            return inputs;
        }
        INDArray c;
        if (classLabels == null) {
            int[] none = new int[Math.toIntExact(rows)];
            Arrays.fill(none, count);
            c = Nd4j.createFromArray(none);
        } else {
            if (classLabels.length() != rows) {
                throw new IllegalArgumentException(classLabels.length() + " class labels for " + rows + " examples");
            }
            c = classLabels.dataType() == DataType.INT32 ? classLabels.reshape(rows) : classLabels.castTo(DataType.INT32).reshape(rows);
            // an index outside the embedding's table would read outside its native memory
            if (rows > 0 && (c.minNumber().intValue() < 0 || c.maxNumber().intValue() > count)) {
                throw new IllegalArgumentException("class labels must be in [0, " + count + "] (" + count
                        + " is the null label), got " + c.minNumber() + " to " + c.maxNumber());
            }
        }
        Map<String, INDArray> m = new HashMap<>(inputs);
        m.put(NAME, c);
        return m;
    }
}
