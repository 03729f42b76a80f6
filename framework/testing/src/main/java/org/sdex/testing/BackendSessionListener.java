package org.sdex.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.sdex.backend.NativeBackend;

/** Selects the ND4J native build once, before any test touches ND4J (registered as a service). */
public class BackendSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeBackend.select();
    }
}
