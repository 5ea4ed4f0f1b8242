package org.crmanalytics.jobs.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FailureTextTest {
  @Test
  void aTaskFailureIsItsRootCauseInOneLine() {
    // the shape Spark gives a UDF's exception: the task's trace embedded in the wrapper's message
    ArithmeticException cause = new ArithmeticException("2F1(1.3, 1.8; 2.3; 0.99) did not converge");
    SparkException task = new SparkException("Job aborted due to stage failure: Task 0 failed\n"
        + "\tat org.crmanalytics.models.btyd.Hypergeometric2F1.value(Hypergeometric2F1.java:40)\n", cause);
    IllegalStateException wrapped = new IllegalStateException(task.getMessage(), task);
    assertEquals("ArithmeticException: 2F1(1.3, 1.8; 2.3; 0.99) did not converge", FailureText.of(wrapped));
  }

  @Test
  void aUserErrorIsItsMessageAsItIs() {
    UserError user = new UserError("clv.model must be bgnbd or paretonbd, not 'x'");
    assertEquals("clv.model must be bgnbd or paretonbd, not 'x'", FailureText.of(new RuntimeException(user)));
  }

  @Test
  void onlyTheFirstLineOfAMultiLineMessage() {
    assertEquals("IllegalStateException: first", FailureText.of(new IllegalStateException("first\nsecond")));
    assertEquals("NullPointerException", FailureText.of(new NullPointerException()));
  }
}
