package io.assetindex.util;

/** The version of asset-index that runs: the jar manifest's Implementation-Version, "dev" when run from classes. */
public final class ProgramVersion {
    private ProgramVersion() {}

    public static String current() {
        String version = ProgramVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
