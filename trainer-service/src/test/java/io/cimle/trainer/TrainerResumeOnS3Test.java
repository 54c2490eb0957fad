package io.cimle.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.kafka.KafkaBrokerTestResource;
import io.cimle.wire.v1.CheckpointEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A (re)started trainer on S3 storage: it finds the pairs and the checkpoint a previous run left,
 * resumes from that checkpoint (not from scratch), and publishes the next version to S3.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = S3WithCheckpointResource.class, restrictToAnnotatedClass = true)
class TrainerResumeOnS3Test {

    @Test
    void resumesFromTheLatestCheckpointInS3() throws Exception {
        CheckpointEvent next = TrainerEndToEndTest.readCheckpointEvent(KafkaBrokerTestResource.broker().bootstrapServers());
        assertEquals("000002", next.getVersion(), "the first checkpoint of this run follows the stored one");
        assertTrue(next.getStep() > S3WithCheckpointResource.previousStep,
                "resumed at step " + S3WithCheckpointResource.previousStep + ", now " + next.getStep());
        assertTrue(next.getEpoch() >= 1, "epoch carried over: " + next.getEpoch());
        assertTrue(next.getUri().startsWith("s3://" + S3WithCheckpointResource.BUCKET + "/"), next.getUri());
        given().get("/api/trainer/status").then().statusCode(200).body("datasetSize", equalTo(10));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'object-storage' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'object-storage' }.data.uri", startsWith("s3://" + S3WithCheckpointResource.BUCKET + "/"));
        given().get("/api/trainer/config").then().statusCode(200).body("storage", equalTo("s3"));
    }
}
