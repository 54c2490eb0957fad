package io.cimle.generator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.InstanceMaps;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.ToyScenes;
import io.cimle.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The REST API, the page, health, OpenAPI and the metric names the dashboards use. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TinyModelResource.class, restrictToAnnotatedClass = true)
class GeneratorHttpTest {
    @TestHTTPResource("/")
    URL url;

    static String layoutBase64() {
        var map = new ToyScenes(TinyModelResource.config().width(), TinyModelResource.config().height()).sample(3, 0).layout();
        return Base64.getEncoder().encodeToString(LayoutEncoder.colourPng(map, TinyModelResource.labels()));
    }

    @Test
    void modelInfoListsClassesAndPalette() {
        given().get("/api/model").then().statusCode(200)
                .body("version", equalTo("000001"))
                .body("width", equalTo(TinyModelResource.config().width()))
                .body("classes", hasSize(TinyModelResource.labels().numClasses()))
                .body("classes[0].color", hasSize(3));
    }

    @Test
    void generatesSamplesWithCodesAndInterpolates() {
        var json = given().contentType(ContentType.JSON)
                .body(Map.of("layoutPng", layoutBase64(), "encoding", "colors", "numSamples", 4, "seed", 3))
                .post("/api/generate").then().statusCode(200)
                .body("samples", hasSize(4)).body("samples[0].png", notNullValue())
                .body("samples[2].code.seed", notNullValue()).extract().jsonPath();
        Map<String, Object> a = json.getMap("samples[0].code");
        Map<String, Object> b = json.getMap("samples[3].code");
        given().contentType(ContentType.JSON)
                .body(Map.of("layoutPng", layoutBase64(), "encoding", "colors",
                        "interpolation", Map.of("from", a, "to", b, "steps", 4, "method", "slerp")))
                .post("/api/generate").then().statusCode(200).body("samples", hasSize(4)).body("samples[3].t", equalTo(1.0f));
    }

    /** A reference drawn from one of the searched codes: the search finds that code, and it applies elsewhere. */
    @Test
    void styleFromAReferencePhotoFindsItsCodeAndAppliesItToAnotherLayout() {
        long searchSeed = 5;
        int candidates = 16;
        long drawn = new SplittableRandom(searchSeed).longs(candidates).toArray()[3];
        String reference = given().contentType(ContentType.JSON)
                .body(Map.of("layoutPng", layoutBase64(), "encoding", "colors", "codes", List.of(Map.of("seed", drawn))))
                .post("/api/generate").then().log().ifValidationFails().statusCode(200).extract().jsonPath().getString("samples[0].png");
        var other = new ToyScenes(TinyModelResource.config().width(), TinyModelResource.config().height()).sample(3, 7)
                .layout();
        String otherLayout = Base64.getEncoder().encodeToString(LayoutEncoder.colourPng(other, TinyModelResource.labels()));
        Map<String, Object> style = Map.of("layoutPng", layoutBase64(), "photo", reference, "candidates", candidates,
                "seed", searchSeed);
        given().contentType(ContentType.JSON)
                .body(Map.of("layoutPng", otherLayout, "encoding", "colors", "numSamples", 2, "style", style))
                .post("/api/generate").then().log().ifValidationFails().statusCode(200).body("samples", hasSize(2))
                .body("samples[0].code.seed", equalTo(Long.toString(drawn)));
        given().contentType(ContentType.JSON)
                .body(Map.of("layoutPng", otherLayout, "encoding", "colors", "style",
                        Map.of("layoutPng", layoutBase64(), "photo", "bm90IGEgcGhvdG8=")))
                .post("/api/generate").then().statusCode(400).body("code", equalTo("PHOTO_UNDECODABLE"));
        given().contentType(ContentType.JSON)
                .body(Map.of("layoutPng", otherLayout, "encoding", "colors", "style",
                        Map.of("layoutPng", layoutBase64(), "photo", reference, "candidates", 100_000)))
                .post("/api/generate").then().statusCode(400).body("code", equalTo("TOO_MANY_SAMPLES"));
    }

    @Test
    void badInputGetsACodeAndAMessage() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("layoutPng", "bm90IGEgcG5n", "numSamples", 1))
                .post("/api/generate").then().statusCode(400).body("code", equalTo("LAYOUT_UNDECODABLE"));
        var layout = new ToyScenes(TinyModelResource.config().width(), TinyModelResource.config().height()).sample(3, 0)
                .layout();
        int[] strips = new int[layout.ids().length];
        for (int p = 0; p < strips.length; p++) {
            strips[p] = 1 + p % layout.width() / 8;
        }
        String instances = Base64.getEncoder().encodeToString(InstanceMaps.png(layout.withInstances(strips)));
        given().contentType(ContentType.JSON).body(Map.of("layoutPng", layoutBase64(), "encoding", "colors",
                "instancesPng", instances, "numSamples", 2)).post("/api/generate").then().statusCode(200)
                .body("samples", hasSize(2));
        String small = Base64.getEncoder().encodeToString(InstanceMaps.png(new ClassMap(4, 4, layout.channels(),
                new int[16]).withInstances(new int[16])));
        given().contentType(ContentType.JSON).body(Map.of("layoutPng", layoutBase64(), "encoding", "colors",
                "instancesPng", small, "numSamples", 1)).post("/api/generate").then().statusCode(400)
                .body("code", equalTo("INSTANCE_MAP_INVALID")).body("message", containsString("4x4"));
        given().contentType(ContentType.JSON).body(Map.of("layoutPng", layoutBase64(), "encoding", "colors", "numSamples", 1000))
                .post("/api/generate").then().statusCode(400).body("code", equalTo("TOO_MANY_SAMPLES"))
                .body("message", containsString("limit"));
        double invalid = errorCount("INVALID_REQUEST");
        given().contentType(ContentType.JSON).body(Map.of("numSamples", 1))
                .post("/api/generate").then().statusCode(400).body("code", equalTo("INVALID_REQUEST"));
        Assertions.assertEquals(invalid + 1, errorCount("INVALID_REQUEST"), "a request without a layout is an error "
                + "the dashboards count, as on Kafka");
        // Bodies above quarkus.http.limits.max-body-size are refused before they are read.
        // (Expect: 100-continue lets the server answer before the client has sent the whole body.)
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var big = HttpRequest.newBuilder(URI.create(url + "api/generate")).expectContinue(true)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"layoutPng\":\"" + "A".repeat(9 << 20) + "\"}"))
                .build();
        Assertions.assertEquals(413,
                http.send(big, HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    /** cimle_generator_requests_total for one error code (0 before its first). */
    static double errorCount(String code) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("cimle_generator_requests_total{")
                        && l.contains("code=\"" + code + "\"") && l.contains("outcome=\"error\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void pageHealthAndOpenApiAreServed() {
        given().get("/").then().statusCode(200).body(containsString("cimle"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'object-storage' }.status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/generate"));
    }

    @Test
    void exposesEveryMetricTheDashboardsUse() throws Exception {
        // Generate once so histograms have samples.
        given().contentType(ContentType.JSON).body(Map.of("layoutPng", layoutBase64(), "encoding", "colors", "numSamples", 1))
                .post("/api/generate").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : expectedMetrics("cimle_generator_")) {
            assertTrue(metrics.contains(name), "missing metric " + name);
        }
    }

    /** The metric contract shared with deploy/ (its dashboards and alerts). */
    static List<String> expectedMetrics(String prefix) throws Exception {
        Path contract = Path.of("..", "deploy", "monitoring", "exposed-metrics.txt");
        if (Files.exists(contract)) {
            return Files.readAllLines(contract).stream().map(String::trim).filter(l -> l.startsWith(prefix)).toList();
        }
        return List.of("cimle_generator_requests_total", "cimle_generator_request_latency_seconds_bucket",
                "cimle_generator_model_latency_seconds_bucket", "cimle_generator_samples_total",
                "cimle_generator_batch_size_bucket", "cimle_generator_in_flight_requests", "cimle_generator_model_loaded",
                "cimle_generator_model_version", "cimle_generator_consumer_lag");
    }
}
