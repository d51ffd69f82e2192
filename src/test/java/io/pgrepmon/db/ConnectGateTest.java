package io.pgrepmon.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectGateTest {

    @Test
    void grantsAtMostItsPermitsAndPassesEachReleasedOneToTheNextInLine() {
        ConnectGate gate = new ConnectGate(2);
        List<Future<ConnectGate.Permit>> asked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            asked.add(gate.acquire(Promise.promise()));
        }
        assertThat(asked).filteredOn(Future::isComplete).hasSize(2);
        assertThat(gate.inUse()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(3);

        asked.get(0).result().release();
        assertThat(asked.get(2).isComplete()).as("the first in line").isTrue();
        assertThat(asked.get(3).isComplete()).isFalse();
        assertThat(gate.inUse()).isEqualTo(2);

        asked.get(0).result().release(); // twice: counted once
        assertThat(asked.get(3).isComplete()).isFalse();
        assertThat(gate.waiting()).isEqualTo(2);
    }

    @Test
    void aWaiterThatGivesUpLeavesTheLine() {
        ConnectGate gate = new ConnectGate(1);
        Future<ConnectGate.Permit> first = gate.acquire(Promise.promise());
        Promise<ConnectGate.Permit> quitter = Promise.promise();
        gate.acquire(quitter);
        Future<ConnectGate.Permit> patient = gate.acquire(Promise.promise());

        assertThat(gate.cancel(quitter)).isTrue();
        assertThat(gate.cancel(quitter)).as("no longer in line").isFalse();
        first.result().release();
        assertThat(quitter.future().isComplete()).isFalse();
        assertThat(patient.isComplete()).isTrue();

        patient.result().release();
        assertThat(gate.inUse()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void needsAtLeastOnePermit() {
        assertThatThrownBy(() -> new ConnectGate(0)).hasMessageContaining("at least 1");
    }
}
