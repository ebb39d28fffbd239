package io.assetindex.cli;

import io.assetindex.util.ProgramVersion;
import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest ("dev" when run from classes). */
public final class VersionProvider implements IVersionProvider {
    public static String version() {
        return ProgramVersion.current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"asset-index " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
