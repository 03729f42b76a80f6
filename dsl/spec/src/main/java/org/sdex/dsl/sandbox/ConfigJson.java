package org.sdex.dsl.sandbox;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.error.SdexException;

/**
 * What the script's process hands back: the experiment as written ({@link ExperimentConfig}, every
 * value with its script line) or the one-line error. Field by field, so whatever the config holds
 * passes through; non-finite numbers stay numbers, so the validator can refuse them by name.
 */
final class ConfigJson {
    private ConfigJson() {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static String config(ExperimentConfig config) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        root.set("config", JSON.valueToTree(config));
        return JSON.writeValueAsString(root);
    }

    /** A {@link ConfigException} keeps its location; other problems are a plain message. */
    static String error(SdexException e) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode err = root.putObject("error");
        if (e instanceof ConfigException c) {
            err.put("file", c.location().file());
            err.put("line", c.location().line());
            err.put("message", e.getMessage().substring(c.location().toString().length() + 2));
        } else {
            err.put("message", e.getMessage());
        }
        return JSON.writeValueAsString(root);
    }

    /** The config, or the error rethrown as it was thrown in the child; null if the text is no answer. */
    static ExperimentConfig read(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null) return null;
        if (root.has("error")) {
            JsonNode err = root.get("error");
            String message = err.path("message").asText();
            if (err.has("file")) throw new ConfigException(new SourceLocation(err.get("file").asText(), err.path("line").asInt()), message);
            throw new SdexException(message);
        }
        if (!root.has("config")) return null;
        try {
            return JSON.treeToValue(root.get("config"), ExperimentConfig.class);
        } catch (JsonProcessingException e) {
            // the child wrote it from the same classes: a field JSON cannot carry is sdex's bug
            throw new IllegalStateException("cannot read the experiment back from the script's process: " + e.getOriginalMessage(), e);
        }
    }
}
