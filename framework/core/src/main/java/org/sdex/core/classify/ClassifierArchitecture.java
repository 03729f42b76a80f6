package org.sdex.core.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.sdex.core.error.SdexException;

/**
 * The shape of a {@link ClassifierNetwork}: images [C, H, W], the number of classes, the channels of
 * its stages (each halves the resolution but the last), the width of the feature vector, and whether
 * it is conditioned on the SDE's noise level. Everything needed to rebuild the network from a
 * checkpoint's metadata.
 */
public record ClassifierArchitecture(long[] exampleShape, int classes, int[] channels, int features, boolean noiseConditional) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ClassifierArchitecture {
        exampleShape = exampleShape.clone();
        channels = channels.clone();
        if (exampleShape.length != 3 || Arrays.stream(exampleShape).anyMatch(s -> s < 1)) {
            throw new SdexException("a classifier needs images [C, H, W]; got examples of shape " + Arrays.toString(exampleShape));
        }
        long side = Math.min(exampleShape[1], exampleShape[2]);
        if (channels.length < 1 || side >> (channels.length - 1) < 1) {
            throw new SdexException("a classifier of " + channels.length + " stages halves " + side + " pixels "
                    + (channels.length - 1) + " times; use between 1 and " + (64 - Long.numberOfLeadingZeros(side)) + " stages");
        }
        for (int c : channels) if (c < 1) throw new SdexException("classifier channels must be >= 1; got " + c);
        if (classes < 2) throw new SdexException("a classifier needs at least 2 classes; got " + classes);
        if (features < 1) throw new SdexException("classifier features must be >= 1; got " + features);
    }

    @Override public long[] exampleShape() { return exampleShape.clone(); }

    @Override public int[] channels() { return channels.clone(); }

    ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode shape = n.putArray("exampleShape");
        for (long s : exampleShape) shape.add(s);
        n.put("classes", classes);
        ArrayNode ch = n.putArray("channels");
        for (int c : channels) ch.add(c);
        n.put("features", features);
        n.put("noiseConditional", noiseConditional);
        return n;
    }

    static ClassifierArchitecture fromJson(JsonNode n) {
        long[] shape = new long[n.get("exampleShape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = n.get("exampleShape").get(i).asLong();
        int[] ch = new int[n.get("channels").size()];
        for (int i = 0; i < ch.length; i++) ch[i] = n.get("channels").get(i).asInt();
        return new ClassifierArchitecture(shape, n.get("classes").asInt(), ch, n.get("features").asInt(),
                n.get("noiseConditional").asBoolean());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassifierArchitecture a && Arrays.equals(exampleShape, a.exampleShape) && classes == a.classes
                && Arrays.equals(channels, a.channels) && features == a.features && noiseConditional == a.noiseConditional;
    }

    @Override
    public int hashCode() { return Arrays.hashCode(exampleShape) * 31 + Arrays.hashCode(channels) + classes + features; }

    @Override
    public String toString() { return toJson().toString(); }
}
