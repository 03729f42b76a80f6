package org.sdex.core.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.sdex.spi.Params;

/**
 * Fills a block's settings record ({@link TrainSettings}, ...) from its checked settings, each
 * component from the setting of the same name: a setting declared in the vocabulary reaches the code
 * as a typed accessor without a hand-written copy per setting.
 */
public final class SettingsBinding {
    private SettingsBinding() {}

    public static <R extends Record> R bind(Class<R> type, Params settings) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = value(types[i], settings.raw(components[i].getName()));
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(type.getSimpleName() + " cannot be built from its settings", e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static Object value(Class<?> type, Object v) {
        if (type == int.class) return ((Number) v).intValue();
        if (type == long.class) return ((Number) v).longValue();
        if (type == double.class) return ((Number) v).doubleValue();
        if (type == boolean.class || type == String.class || type == List.class) return v;
        throw new IllegalStateException("a settings record component of type " + type.getSimpleName() + " has no setting type");
    }
}
