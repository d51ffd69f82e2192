package io.pgrepmon.model;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A source table as published: what the server said of it, and the health the monitor judged of that. */
@RegisterForReflection
public record TableInfo(@JsonUnwrapped TableReading reading, Health health) {
}
