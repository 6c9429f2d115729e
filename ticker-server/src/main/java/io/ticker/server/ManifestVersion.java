package io.ticker.server;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version the jar's manifest records, so it cannot drift from the build. */
public final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        final Package pkg = ManifestVersion.class.getPackage();
        final String version = pkg == null ? null : pkg.getImplementationVersion();
        return new String[] {"ticker-server " + (version == null ? "(development build)" : version),
            "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})"};
    }
}
