package org.sdex.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a download starts from: the bytes already under the data root, where its progress bar starts. */
class DataSetTest {
    @TempDir Path root;

    @Test
    void bytesAlreadyHereAreWholeFilesAndThePartsOfInterruptedOnes() throws IOException {
        DataSet mnist = DataSet.named("mnist");
        RemoteFile whole = mnist.files().get(1), cut = mnist.files().get(0);
        assertThat(mnist.bytesIn(root)).isZero();
        Files.write(root.resolve(whole.storedAs()), new byte[10]); // a whole file counts as its published size
        Files.write(Download.part(root.resolve(cut.storedAs())), new byte[1234]);
        assertThat(mnist.bytesIn(root)).isEqualTo(whole.size() + 1234);
        // a .part beside its whole file is not counted twice
        Files.write(Download.part(root.resolve(whole.storedAs())), new byte[99]);
        assertThat(mnist.bytesIn(root)).isEqualTo(whole.size() + 1234);
    }
}
