package org.crmanalytics.models.btyd;

import org.crmanalytics.models.scores.CustomerScores;

/** Default output column names of the BTYD models: those of customer_scores. */
public final class BtydOutputs {
  public static final String P_ALIVE = CustomerScores.P_ALIVE;
  public static final String EXPECTED_PURCHASES = CustomerScores.EXPECTED_ORDERS;
  public static final String EXPECTED_ORDER_VALUE = CustomerScores.EXPECTED_ORDER_VALUE;
  public static final String CLV = CustomerScores.CLV;

  private BtydOutputs() {}
}
