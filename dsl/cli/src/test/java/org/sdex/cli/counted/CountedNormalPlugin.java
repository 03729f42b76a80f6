package org.sdex.cli.counted;

import java.util.List;
import java.util.OptionalLong;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.data.DataContext;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.DatasetPlugin;
import org.sdex.spi.random.Rng;

/** A finite set of standard normal 2-D points per split, logging every split it opens ("open train"). */
public final class CountedNormalPlugin implements DatasetPlugin {
    static final int SIZE = 64;

    @Override public String name() { return "counted_normal"; }

    @Override public String description() { return "standard normal points, 64 per split; logs each opening"; }

    @Override public List<Param> parameters() { return List.of(CallLog.PARAM); }

    @Override
    public Dataset open(Params params, DataContext context) {
        CallLog.record(params, "open " + context.split());
        INDArray points = new Rng(context.split().hashCode()).normal(context.dataType(), SIZE, 2);
        return new Dataset() {
            @Override public long[] shape() { return new long[] {2}; }

            @Override public OptionalLong size() { return OptionalLong.of(SIZE); }

            @Override public INDArray sample(int n, Rng rng) {
                INDArray out = Nd4j.create(points.dataType(), n, 2);
                for (int i = 0; i < n; i++) out.putRow(i, points.getRow(rng.nextInt(SIZE)));
                return out;
            }

            @Override public INDArray examples(long from, int count) {
                return points.get(NDArrayIndex.interval(from, from + count)).dup();
            }
        };
    }
}
