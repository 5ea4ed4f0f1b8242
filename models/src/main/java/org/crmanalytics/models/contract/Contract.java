package org.crmanalytics.models.contract;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The canonical CRM/ERP data contract: the only shape the math sees. A company maps its exports
 * to these tables in configuration. Only {@link Customers} and {@link Sales} are required.
 * docs/data-contract.md is the prose version of this class; keep both in step.
 */
public final class Contract {
  /** Money and prices: exact decimals so that sums reconcile with the ERP to the cent. */
  public static final DataType MONEY = ContractTypes.MONEY;
  /** Quantities may be fractional (hours, kilograms). */
  public static final DataType QUANTITY = ContractTypes.QUANTITY;

  private Contract() {}

  public static final class Customers {
    public static final String NAME = "customers";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String CUSTOMER_NAME = "name";
    public static final String INDUSTRY = "industry";
    public static final String REGION = "region";
    public static final String COUNTRY = "country";
    public static final String POSTAL_CODE = "postal_code";
    public static final String EMPLOYEES = "employees";
    public static final String SEGMENT = "segment";
    public static final String SALES_REP_ID = "sales_rep_id";
    public static final String CHANNEL = "channel";
    public static final String CREATED_AT = "created_at";
    public static final String CREDIT_LIMIT = "credit_limit";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "customer account", true)
            .required(CUSTOMER_ID, StringType, "Customer number, unique in the CRM")
            .optional(CUSTOMER_NAME, StringType, "Company name (personal data: never logged)").personal()
            .optional(INDUSTRY, StringType, "Industry or sector")
            .optional(REGION, StringType, "Sales region or state (Bundesland)")
            .optional(COUNTRY, StringType, "Country (ISO 3166 code or name)")
            .optional(POSTAL_CODE, StringType, "Postal code")
            .optional(EMPLOYEES, IntegerType, "Number of employees").range(0.0, 10_000_000.0)
            .optional(SEGMENT, StringType, "Size or value segment used by sales")
            .optional(SALES_REP_ID, StringType, "Responsible sales rep")
            .optional(CHANNEL, StringType, "Main sales channel (field, inside, web, partner)")
            .optional(CREATED_AT, DateType, "Date the account was created").notAfterAsOf()
            .optional(CREDIT_LIMIT, ContractTypes.MONEY, "Credit limit granted").range(0.0, null)
            .key(CUSTOMER_ID)
            .build();
  }

  public static final class Products {
    public static final String NAME = "products";
    public static final String PRODUCT_ID = "product_id";
    public static final String PRODUCT_NAME = "name";
    public static final String PRODUCT_GROUP = "product_group";
    public static final String LIST_PRICE = "list_price";
    public static final String UNIT_COST = "unit_cost";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "product (article)", false)
            .required(PRODUCT_ID, StringType, "Article number")
            .optional(PRODUCT_NAME, StringType, "Article description")
            .optional(PRODUCT_GROUP, StringType, "Product group used for cross-sell and KPIs")
            .optional(LIST_PRICE, ContractTypes.MONEY, "List price per unit").range(0.0, null)
            .optional(UNIT_COST, ContractTypes.MONEY, "Standard cost per unit").range(0.0, null)
            .key(PRODUCT_ID)
            .build();
  }

  public static final class Sales {
    public static final String NAME = "sales";
    public static final String ORDER_ID = "order_id";
    public static final String LINE_NO = "line_no";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String ORDER_DATE = "order_date";
    public static final String PRODUCT_ID = "product_id";
    public static final String QUANTITY = "quantity";
    public static final String NET_AMOUNT = "net_amount";
    public static final String COST_AMOUNT = "cost_amount";
    public static final String CHANNEL = "channel";
    public static final String LINE_TYPE = "line_type";
    public static final String ORIGINAL_ORDER_ID = "original_order_id";

    public static final String TYPE_ORDER = "order";
    public static final String TYPE_RETURN = "return";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "order line", true)
            .required(ORDER_ID, StringType, "Order or document number")
            .required(LINE_NO, IntegerType,
                "Line within the order; numbered 1.. in source order when the source has none")
            .range(1.0, null)
            .required(CUSTOMER_ID, StringType, "Ordering customer").references(Customers.NAME)
            .required(ORDER_DATE, DateType, "Order date").notAfterAsOf()
            .optional(PRODUCT_ID, StringType, "Article ordered").references(Products.NAME)
            .optional(QUANTITY, ContractTypes.QUANTITY, "Units; negative on return lines")
            .required(NET_AMOUNT, ContractTypes.MONEY, "Net revenue of the line; negative on return lines")
            .optional(COST_AMOUNT, ContractTypes.MONEY, "Cost of goods of the line, for contribution margin")
            .optional(CHANNEL, StringType, "Sales channel of this order")
            .required(LINE_TYPE, StringType,
                "'order', or 'return' for a credit/cancellation line; 'order' when unmapped")
            .oneOf(TYPE_ORDER, TYPE_RETURN)
            .optional(ORIGINAL_ORDER_ID, StringType, "For a return: the order it reverses, if known")
            .key(ORDER_ID, LINE_NO)
            .build();
  }

  public static final class Invoices {
    public static final String NAME = "invoices";
    public static final String INVOICE_ID = "invoice_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String ORDER_ID = "order_id";
    public static final String INVOICE_DATE = "invoice_date";
    public static final String DUE_DATE = "due_date";
    public static final String AMOUNT = "amount";
    public static final String DUNNING_LEVEL = "dunning_level";
    public static final String WRITTEN_OFF_AT = "written_off_at";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "invoice", false)
            .required(INVOICE_ID, StringType, "Invoice number")
            .required(CUSTOMER_ID, StringType, "Invoiced customer").references(Customers.NAME)
            .optional(ORDER_ID, StringType, "Order the invoice bills, if known")
            .required(INVOICE_DATE, DateType, "Invoice date").notAfterAsOf()
            .required(DUE_DATE, DateType, "Payment due date (may lie after as_of)")
            .required(AMOUNT, ContractTypes.MONEY, "Invoice amount; negative for credit notes")
            .optional(DUNNING_LEVEL, IntegerType, "Highest dunning level reached (0 = none); undated, so not "
                + "point in time: dunning_notices replaces it where present")
            .range(0.0, 9.0)
            .optional(WRITTEN_OFF_AT, DateType, "Day the receivable was written off or handed to collection")
            .key(INVOICE_ID)
            .build();
  }

  public static final class Payments {
    public static final String NAME = "payments";
    public static final String PAYMENT_ID = "payment_id";
    public static final String INVOICE_ID = "invoice_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String PAID_AT = "paid_at";
    public static final String AMOUNT = "amount";

    /** A payment names its invoice, or (settling the account) its customer: at least one. */
    public static final ContractTable TABLE =
        ContractTable.named(NAME, "payment received", false)
            .required(PAYMENT_ID, StringType, "Payment or bank booking number")
            .optional(INVOICE_ID, StringType, "Invoice the payment settles; empty for a payment on account")
            .references(Invoices.NAME)
            .optional(CUSTOMER_ID, StringType, "Customer whose account the payment settles, when it names no "
                + "invoice (allocated to the oldest open invoices)").references(Customers.NAME)
            .required(PAID_AT, DateType, "Value date of the payment").notAfterAsOf()
            .required(AMOUNT, ContractTypes.MONEY, "Amount paid")
            .key(PAYMENT_ID)
            .build();
  }

  /** One reminder sent for one invoice: the dunning level known point in time. */
  public static final class DunningNotices {
    public static final String NAME = "dunning_notices";
    public static final String INVOICE_ID = "invoice_id";
    public static final String LEVEL = "level";
    public static final String SENT_AT = "sent_at";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "dunning notice", false)
            .required(INVOICE_ID, StringType, "Invoice the reminder is about").references(Invoices.NAME)
            .required(LEVEL, IntegerType, "Dunning level of this reminder (1 = first reminder)").range(1.0, 9.0)
            .required(SENT_AT, DateType, "Day the reminder was sent").notAfterAsOf()
            .key(INVOICE_ID, LEVEL)
            .build();
  }

  public static final class Activities {
    public static final String NAME = "activities";
    public static final String ACTIVITY_ID = "activity_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String REP_ID = "rep_id";
    public static final String TYPE = "type";
    public static final String OCCURRED_AT = "occurred_at";
    public static final String OUTCOME = "outcome";
    public static final String NOTES = "notes";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "visit, call, mail or meeting", false)
            .required(ACTIVITY_ID, StringType, "Activity id in the CRM")
            .required(CUSTOMER_ID, StringType, "Customer contacted").references(Customers.NAME)
            .optional(REP_ID, StringType, "Rep who did it")
            .required(TYPE, StringType, "visit, call, email or meeting")
            .oneOf("visit", "call", "email", "meeting")
            .required(OCCURRED_AT, TimestampType, "When it happened").notAfterAsOf()
            .optional(OUTCOME, StringType, "Result as recorded by the rep")
            .optional(NOTES, StringType, "Free text (personal data: never logged)").personal()
            .key(ACTIVITY_ID)
            .build();
  }

  public static final class Offers {
    public static final String NAME = "offers";
    public static final String OFFER_ID = "offer_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String REP_ID = "rep_id";
    public static final String CHANNEL = "channel";
    public static final String LEAD_CREATED_AT = "lead_created_at";
    public static final String QUALIFIED_AT = "qualified_at";
    public static final String CREATED_AT = "created_at";
    public static final String STAGE = "stage";
    public static final String AMOUNT = "amount";
    public static final String STATUS = "status";
    public static final String CLOSED_AT = "closed_at";
    public static final String LOST_REASON = "lost_reason";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "offer / opportunity", false)
            .required(OFFER_ID, StringType, "Offer or opportunity id")
            .required(CUSTOMER_ID, StringType, "Customer offered to").references(Customers.NAME)
            .optional(REP_ID, StringType, "Responsible rep")
            .optional(CHANNEL, StringType, "Channel the lead came through")
            .optional(LEAD_CREATED_AT, TimestampType, "When the lead was created").notAfterAsOf()
            .optional(QUALIFIED_AT, TimestampType, "When the lead was qualified").notAfterAsOf()
            .required(CREATED_AT, TimestampType, "When the offer was made").notAfterAsOf()
            .required(STAGE, StringType, "Funnel stage reached")
            .oneOf("lead", "qualified", "offer", "negotiation", "won", "lost")
            .optional(AMOUNT, ContractTypes.MONEY, "Offer value (net)").range(0.0, null)
            .required(STATUS, StringType, "open, won or lost").oneOf("open", "won", "lost")
            .optional(CLOSED_AT, TimestampType, "When it was won or lost").notAfterAsOf()
            .optional(LOST_REASON, StringType, "Why it was lost (price, competitor, ...)")
            .key(OFFER_ID)
            .build();
  }

  public static final class Tickets {
    public static final String NAME = "tickets";
    public static final String TICKET_ID = "ticket_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String TYPE = "type";
    public static final String CATEGORY = "category";
    public static final String PRIORITY = "priority";
    public static final String CREATED_AT = "created_at";
    public static final String DUE_AT = "due_at";
    public static final String RESOLVED_AT = "resolved_at";
    public static final String DESCRIPTION = "description";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "complaint or service request", false)
            .required(TICKET_ID, StringType, "Ticket id")
            .required(CUSTOMER_ID, StringType, "Customer who raised it").references(Customers.NAME)
            .required(TYPE, StringType, "complaint or request").oneOf("complaint", "request")
            .optional(CATEGORY, StringType, "Category (delivery, quality, invoice, ...)")
            .optional(PRIORITY, StringType, "low, normal, high or urgent")
            .oneOf("low", "normal", "high", "urgent")
            .required(CREATED_AT, TimestampType, "When it was opened").notAfterAsOf()
            .optional(DUE_AT, TimestampType, "When it must be resolved (may lie after as_of)")
            .optional(RESOLVED_AT, TimestampType, "When it was resolved").notAfterAsOf()
            .optional(DESCRIPTION, StringType, "Free text (personal data: never logged)").personal()
            .key(TICKET_ID)
            .build();
  }

  public static final class Campaigns {
    public static final String NAME = "campaigns";
    public static final String CAMPAIGN_ID = "campaign_id";
    public static final String CAMPAIGN_NAME = "name";
    public static final String CHANNEL = "channel";
    public static final String START_DATE = "start_date";
    public static final String END_DATE = "end_date";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "marketing campaign", false)
            .required(CAMPAIGN_ID, StringType, "Campaign id")
            .optional(CAMPAIGN_NAME, StringType, "Campaign name")
            .optional(CHANNEL, StringType, "mail, email, event, phone, ...")
            .optional(START_DATE, DateType, "First day").notAfterAsOf()
            .optional(END_DATE, DateType, "Last day (may lie after as_of)")
            .key(CAMPAIGN_ID)
            .build();
  }

  public static final class CampaignMembers {
    public static final String NAME = "campaign_members";
    public static final String CAMPAIGN_ID = "campaign_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String ADDED_AT = "added_at";
    public static final String RESPONDED_AT = "responded_at";
    public static final String CONVERTED = "converted";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "customer targeted by a campaign", false)
            .required(CAMPAIGN_ID, StringType, "Campaign").references(Campaigns.NAME)
            .required(CUSTOMER_ID, StringType, "Customer targeted").references(Customers.NAME)
            .optional(ADDED_AT, DateType, "When the customer was targeted").notAfterAsOf()
            .optional(RESPONDED_AT, DateType, "When the customer responded, if so").notAfterAsOf()
            .optional(CONVERTED, BooleanType, "Whether the response led to an order")
            .key(CAMPAIGN_ID, CUSTOMER_ID)
            .build();
  }

  public static final class SalesTargets {
    public static final String NAME = "sales_targets";
    public static final String REP_ID = "rep_id";
    public static final String PERIOD = "period";
    public static final String KPI = "kpi";
    public static final String TARGET = "target";

    public static final ContractTable TABLE =
        ContractTable.named(NAME, "target of one rep for one KPI in one period", false)
            .required(REP_ID, StringType, "Sales rep")
            .required(PERIOD, StringType, "Period: 2025, 2025-Q3 or 2025-07")
            .required(KPI, StringType, "KPI name (revenue, visits, new_customers, offers_won, ...)")
            .required(TARGET, ContractTypes.MONEY, "Target value for the period").range(0.0, null)
            .key(REP_ID, PERIOD, KPI)
            .build();
  }

  /** All tables, each after the tables it references (the order the gate checks them in). */
  public static final List<ContractTable> TABLES =
      List.of(
          Customers.TABLE,
          Products.TABLE,
          Sales.TABLE,
          Invoices.TABLE,
          Payments.TABLE,
          DunningNotices.TABLE,
          Activities.TABLE,
          Offers.TABLE,
          Tickets.TABLE,
          Campaigns.TABLE,
          CampaignMembers.TABLE,
          SalesTargets.TABLE);

  public static Optional<ContractTable> table(String name) {
    return TABLES.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
