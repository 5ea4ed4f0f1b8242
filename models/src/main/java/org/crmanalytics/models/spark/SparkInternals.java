package org.crmanalytics.models.spark;

import breeze.optimize.DiffFunction;
import java.lang.invoke.MethodHandles;
import java.util.Iterator;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.catalyst.expressions.MakeDecimal;
import org.apache.spark.sql.catalyst.expressions.UnscaledValue;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.xbean.asm9.ClassWriter;
import org.apache.xbean.asm9.MethodVisitor;
import org.apache.xbean.asm9.Opcodes;
import scala.Tuple2;

/**
 * Every use of Spark's internal API in this project: Catalyst, the classic (non-Connect) session,
 * the query execution and the ASM that Spark shades. None of it is a stable public API; it may
 * change in any Spark release, minor ones included. Only this class may use it (a test reads the
 * source trees of every module and fails on any other class that does).
 *
 * <p>What it wraps, and why each one is here:
 * <ul>
 *   <li>{@link #unscaledValue} and {@link #makeDecimal}: Catalyst's {@code UnscaledValue} and
 *       {@code MakeDecimal} expressions, made columns with {@code classic.ExpressionUtils}. Speed:
 *       {@code Money} (contract) sums MONEY amounts as longs with them (4-5×
 *       faster than a decimal(28,4) sum, the same digits); the public API has no such function.
 *   <li>{@link #rowWithSchema}: {@code GenericRowWithSchema}, a Row that knows its schema (field
 *       access by name), as the rows of a struct column do. No public factory: {@code RowFactory}
 *       makes rows without a schema.
 *   <li>{@link #lenientRowEncoder}: {@code ExpressionEncoder.apply(schema, true)}, a Row encoder that
 *       takes both java.time and java.sql values for dates and timestamps. The public
 *       {@code Encoders.row} is the strict one.
 *   <li>{@link #mapPartitionsInPlace} and {@link #mapPartitionsToDataFrame}: a Dataset's rows as
 *       Spark's {@code InternalRow}s ({@code queryExecution().toRdd()}), read in place through
 *       {@link InternalRowView}, and ({@code classic.SparkSession.internalCreateDataFrame}) a
 *       DataFrame from internal rows. Speed: the BTYD summary and the fits read millions of rows per
 *       partition; a public {@code Row} boxes every value and turns every string into a Java String
 *       and back (measured: a tenth of the summary's CPU time; longer than the compression itself).
 *   <li>{@link #xxHash64}: Catalyst's {@code XXH64}, the hash Spark's {@code xxhash64} column
 *       function computes, on a string as Spark holds it. The public API only has the column function.
 *   <li>{@link #estimatedBytes}: the optimizer's size estimate of a query
 *       ({@code queryExecution().optimizedPlan().stats()}), without running it. The write-back sizes
 *       its JDBC batches by it; the public API has no estimate.
 *   <li>{@link #breezeDiffFunction}: a class generated with Spark's shaded ASM
 *       ({@code org.apache.xbean.asm9}, the one Spark's closure cleaner uses) that implements breeze's
 *       {@code DiffFunction}, which javac cannot implement (see the method). No public alternative
 *       short of writing the adapter in Scala.
 * </ul>
 * Strings stay {@code UTF8String} (spark-unsafe), Spark's own string value, in the rows read in place.
 *
 * <p>On a Spark upgrade check: that the classes named above still exist with the same constructors
 * and methods (the module compiles against them: a compile error names what moved, as
 * {@code internalCreateDataFrame} and {@code ExpressionUtils} did when 4.0 split the session into
 * {@code classic} and Connect); that a session is still a {@code classic.SparkSession} (a Spark
 * Connect session is not, and these calls then fail with a ClassCastException); that the xbean ASM
 * version ({@code asm9}) and the JVM class version ({@code V17}) are still shipped; that breeze's
 * {@code DiffFunction} still has the methods the adapter defines. The tests that cover each:
 * MoneyTest, TopReasonsTest, BtydSummaryTest (the hash is the one {@code xxhash64} computes),
 * DistinctRowsTest, BtydStagesTest and CdnowReproductionTest (the fits), SparkInternalsTest.
 */
public final class SparkInternals {
  private SparkInternals() {}

  // ---- Catalyst expressions ------------------------------------------------------------------

  /** A decimal's unscaled value as a long (value × 10^scale); the decimal must fit 18 digits. */
  public static Column unscaledValue(Column decimal) {
    return ExpressionUtils.column(new UnscaledValue(ExpressionUtils.expression(decimal)));
  }

  /** A long count of 10^-scale back as a decimal(precision, scale). */
  public static Column makeDecimal(Column unscaled, int precision, int scale) {
    return ExpressionUtils.column(new MakeDecimal(ExpressionUtils.expression(unscaled), precision, scale));
  }

  /** The hash of {@code functions.xxhash64} of a string column with this seed (42 there); null hashes to the seed. */
  /** The optimizer's estimate of the bytes {@code query} produces; it does not run the query. */
  public static long estimatedBytes(Dataset<?> query) {
    return query.queryExecution().optimizedPlan().stats().sizeInBytes().longValue();
  }

  public static long xxHash64(UTF8String s, long seed) {
    return s == null ? seed : XXH64.hashUnsafeBytes(s.getBaseObject(), s.getBaseOffset(), s.numBytes(), seed);
  }

  // ---- Rows and encoders ---------------------------------------------------------------------

  /** A Row that carries its schema, so that fields can be read by name. */
  public static Row rowWithSchema(Object[] values, StructType schema) {
    return new GenericRowWithSchema(values, schema);
  }

  /** A Row encoder of this schema that takes LocalDate/Instant as well as java.sql.Date/Timestamp values. */
  public static Encoder<Row> lenientRowEncoder(StructType schema) {
    return ExpressionEncoder.apply(schema, true);
  }

  // ---- Internal rows -------------------------------------------------------------------------

  /**
   * A row in Spark's internal format: Spark's {@code InternalRow} seen through an interface of
   * ours. A row read in place is valid only until the iterator moves on (a string taken from it
   * must be {@link UTF8String#clone cloned} to be kept).
   */
  public interface InternalRowView {
    boolean isNullAt(int ordinal);

    int getInt(int ordinal);

    long getLong(int ordinal);

    double getDouble(int ordinal);

    UTF8String getUTF8String(int ordinal);
  }

  /** One partition's rows, read in place, to anything. */
  @FunctionalInterface
  public interface PartitionFunction<T> extends java.io.Serializable {
    Iterator<T> apply(Iterator<InternalRowView> rows) throws Exception;
  }

  /**
   * A new internal row of these values, in Spark's internal types: UTF8String for strings, Integer
   * for ints and dates (days since 1970-01-01), Long, Double, null.
   */
  public static InternalRowView internalRow(Object... values) {
    return new OwnRow(values);
  }

  /** The Dataset's partitions, each read in place as internal rows, mapped by {@code f}; one element each. */
  public static <T> JavaRDD<T> mapPartitionsInPlace(Dataset<?> rows, PartitionFunction<T> f) {
    return internalRows(rows).mapPartitions(it -> f.apply(inPlace(it)));
  }

  /**
   * A DataFrame of {@code schema} made of the rows {@code f} returns for each partition of
   * {@code input}, read in place. Every returned row must come from {@link #internalRow} and hold
   * the schema's internal types: nothing checks or converts them.
   */
  public static Dataset<Row> mapPartitionsToDataFrame(Dataset<?> input, StructType schema,
      PartitionFunction<InternalRowView> f) {
    JavaRDD<InternalRow> out = internalRows(input).mapPartitions(it -> asInternal(f.apply(inPlace(it))));
    return ((SparkSession) input.sparkSession()).internalCreateDataFrame(out.rdd(), schema, false);
  }

  private static JavaRDD<InternalRow> internalRows(Dataset<?> rows) {
    return rows.queryExecution().toRdd().toJavaRDD();
  }

  /** One view for the whole partition, pointed at each row in turn: no allocation per row. */
  private static Iterator<InternalRowView> inPlace(Iterator<InternalRow> rows) {
    InPlace view = new InPlace();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public InternalRowView next() {
        view.row = rows.next();
        return view;
      }
    };
  }

  private static Iterator<InternalRow> asInternal(Iterator<InternalRowView> rows) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public InternalRow next() {
        InternalRowView row = rows.next();
        if (row instanceof OwnRow own) {
          return own;
        }
        throw new IllegalArgumentException("an output row must come from SparkInternals.internalRow, not " + row);
      }
    };
  }

  /** Spark's own generic internal row: its getters are the view's. */
  private static final class OwnRow extends GenericInternalRow implements InternalRowView {
    OwnRow(Object[] values) {
      super(values);
    }
  }

  private static final class InPlace implements InternalRowView {
    private InternalRow row;

    @Override
    public boolean isNullAt(int ordinal) {
      return row.isNullAt(ordinal);
    }

    @Override
    public int getInt(int ordinal) {
      return row.getInt(ordinal);
    }

    @Override
    public long getLong(int ordinal) {
      return row.getLong(ordinal);
    }

    @Override
    public double getDouble(int ordinal) {
      return row.getDouble(ordinal);
    }

    @Override
    public UTF8String getUTF8String(int ordinal) {
      return row.getUTF8String(ordinal);
    }
  }

  // ---- breeze DiffFunction adapter -----------------------------------------------------------

  /**
   * A breeze {@link DiffFunction} backed by a Java function from a point to (value, gradient), for
   * breeze's L-BFGS.
   *
   * <p>Why generated bytecode: DiffFunction is a Scala trait that inherits both Function1's erased
   * {@code Object apply(Object)} and its own {@code double apply(Object)}. The JVM allows that
   * (scalac emits a bridge), the Java language does not: javac refuses any class implementing it,
   * even a subclass of one of breeze's concrete DiffFunctions, and java.lang.reflect.Proxy refuses
   * the interface too. So the adapter class (two methods: {@code calculate} calls the Java function,
   * the bridge {@code apply} boxes its value) is written with the ASM that Spark itself ships
   * (xbean-asm9-shaded, used by Spark's closure cleaner) and defined once in this package.
   */
  @SuppressWarnings("unchecked")
  public static <T> DiffFunction<T> breezeDiffFunction(Function<T, Tuple2<Object, T>> f) {
    try {
      return (DiffFunction<T>) BreezeAdapter.CLASS.getConstructor(Function.class).newInstance(f);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate the breeze DiffFunction adapter", e);
    }
  }

  private static final class BreezeAdapter {
    private static final String NAME = "org/crmanalytics/models/spark/SparkInternals$BreezeDiffFunction";
    static final Class<?> CLASS = define();

    private static Class<?> define() {
      ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
      cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, NAME, null,
          "java/lang/Object", new String[] {"breeze/optimize/DiffFunction"});
      cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "f", "Ljava/util/function/Function;", null, null)
          .visitEnd();

      MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(Ljava/util/function/Function;)V", null,
          null);
      init.visitCode();
      init.visitVarInsn(Opcodes.ALOAD, 0);
      init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
      init.visitVarInsn(Opcodes.ALOAD, 0);
      init.visitVarInsn(Opcodes.ALOAD, 1);
      init.visitFieldInsn(Opcodes.PUTFIELD, NAME, "f", "Ljava/util/function/Function;");
      init.visitInsn(Opcodes.RETURN);
      init.visitMaxs(0, 0);
      init.visitEnd();

      // Tuple2 calculate(Object x) { return (Tuple2) f.apply(x); }
      MethodVisitor calculate = cw.visitMethod(Opcodes.ACC_PUBLIC, "calculate",
          "(Ljava/lang/Object;)Lscala/Tuple2;", null, null);
      calculate.visitCode();
      calculate.visitVarInsn(Opcodes.ALOAD, 0);
      calculate.visitFieldInsn(Opcodes.GETFIELD, NAME, "f", "Ljava/util/function/Function;");
      calculate.visitVarInsn(Opcodes.ALOAD, 1);
      calculate.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/function/Function", "apply",
          "(Ljava/lang/Object;)Ljava/lang/Object;", true);
      calculate.visitTypeInsn(Opcodes.CHECKCAST, "scala/Tuple2");
      calculate.visitInsn(Opcodes.ARETURN);
      calculate.visitMaxs(0, 0);
      calculate.visitEnd();

      // Object apply(Object x) { return Double.valueOf(this.apply(x) /* the trait's double apply */); }
      MethodVisitor apply = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC, "apply",
          "(Ljava/lang/Object;)Ljava/lang/Object;", null, null);
      apply.visitCode();
      apply.visitVarInsn(Opcodes.ALOAD, 0);
      apply.visitVarInsn(Opcodes.ALOAD, 1);
      apply.visitMethodInsn(Opcodes.INVOKEINTERFACE, "breeze/optimize/StochasticDiffFunction", "apply",
          "(Ljava/lang/Object;)D", true);
      apply.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "valueOf", "(D)Ljava/lang/Double;", false);
      apply.visitInsn(Opcodes.ARETURN);
      apply.visitMaxs(0, 0);
      apply.visitEnd();

      // Object repr() { return this; }  (NumericOps' erased repr, which the traits only define covariantly)
      MethodVisitor repr = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC, "repr",
          "()Ljava/lang/Object;", null, null);
      repr.visitCode();
      repr.visitVarInsn(Opcodes.ALOAD, 0);
      repr.visitInsn(Opcodes.ARETURN);
      repr.visitMaxs(0, 0);
      repr.visitEnd();
      cw.visitEnd();
      try {
        return MethodHandles.lookup().defineClass(cw.toByteArray());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot define the breeze DiffFunction adapter", e);
      }
    }
  }
}
