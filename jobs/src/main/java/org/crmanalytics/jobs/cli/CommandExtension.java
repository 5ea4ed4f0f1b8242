package org.crmanalytics.jobs.cli;

/**
 * A picocli command that a jar on the classpath adds to {@code crm-analytics}, found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/org.crmanalytics.jobs.cli.CommandExtension}.
 * The tools jar adds {@code generate} and {@code demo-db} this way, so the production jar does not
 * carry the sample-data tooling. An implementation is a {@code @Command} class with a public no-arg
 * constructor; each command line gets new instances.
 */
public interface CommandExtension {}
