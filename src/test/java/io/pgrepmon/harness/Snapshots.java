package io.pgrepmon.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;

import java.io.UncheckedIOException;

/** Reads the monitor's snapshot over its REST API, as a client would. */
public final class Snapshots {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Snapshots() {
    }

    public static JsonNode latest() {
        return parse(RestAssured.given().get("/api/snapshot").then().statusCode(200).extract().asString());
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode database(JsonNode snapshot, String name) {
        for (JsonNode db : snapshot.get("databases")) {
            if (db.get("name").asText().equals(name)) {
                return db;
            }
        }
        throw new AssertionError("no database " + name + " in snapshot " + snapshot.get("sequence"));
    }

    public static JsonNode pair(JsonNode snapshot, String name) {
        for (JsonNode pair : snapshot.get("pairs")) {
            if (pair.get("name").asText().equals(name)) {
                return pair;
            }
        }
        throw new AssertionError("no pair " + name + " in snapshot " + snapshot.get("sequence") + ": " + snapshot.get("pairs"));
    }

    public static JsonNode slot(JsonNode snapshot, String database, String slot) {
        for (JsonNode s : database(snapshot, database).get("slots")) {
            if (s.get("name").asText().equals(slot)) {
                return s;
            }
        }
        throw new AssertionError("no slot " + slot + " on " + database);
    }

    public static JsonNode subscription(JsonNode snapshot, String database, String subscription) {
        for (JsonNode s : database(snapshot, database).get("subscriptions")) {
            if (s.get("name").asText().equals(subscription)) {
                return s;
            }
        }
        throw new AssertionError("no subscription " + subscription + " on " + database);
    }

    public static String status(JsonNode component) {
        return component.get("health").get("status").asText();
    }

    public static String reasons(JsonNode component) {
        return component.get("health").get("reasons").toString();
    }

    /** One check of a pair's verdict by its id; fails (so that awaits retry) when there is no verdict or no such check. */
    public static JsonNode check(JsonNode verdict, String id) {
        if (verdict.get("checks") == null) {
            throw new AssertionError("no verdict yet: " + verdict);
        }
        for (JsonNode c : verdict.get("checks")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no check " + id + " in " + verdict);
    }
}
