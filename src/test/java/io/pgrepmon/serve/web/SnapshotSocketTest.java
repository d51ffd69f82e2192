package io.pgrepmon.serve.web;

import io.pgrepmon.publish.SnapshotHub.View;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a WebSocket client asks for in its query string. */
class SnapshotSocketTest {

    @Test
    void theQueryStringChoosesTheViewAndAnythingElseGetsTheWholeSnapshot() {
        assertThat(SnapshotSocket.viewOf(null)).isEqualTo(View.WHOLE);
        assertThat(SnapshotSocket.viewOf("")).isEqualTo(View.WHOLE);
        assertThat(SnapshotSocket.viewOf("view=overview")).isEqualTo(View.OVERVIEW);
        assertThat(SnapshotSocket.viewOf("view=everything")).isEqualTo(View.WHOLE);
        assertThat(SnapshotSocket.viewOf("pair=orders%2Feu")).isEqualTo(View.pair("orders/eu"));
        assertThat(SnapshotSocket.viewOf("x=1&database=src%20a")).isEqualTo(View.database("src a"));
        assertThat(SnapshotSocket.viewOf("pair=")).isEqualTo(View.WHOLE);
    }
}
