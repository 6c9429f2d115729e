package io.ticker.feed;

import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code --version} of every program: the command's name and the version its jar's manifest records
 * ({@code Implementation-Version}, set by the build), so it cannot drift from the build; "(development build)" when
 * run from classes. One class for all three programs: picocli hands it the command it answers for.
 */
public final class ManifestVersion implements IVersionProvider {
    @Spec
    private CommandSpec spec;

    @Override
    public String[] getVersion() {
        final Package pkg = spec.userObject().getClass().getPackage();
        final String version = pkg == null ? null : pkg.getImplementationVersion();
        return new String[] {spec.name() + " " + (version == null ? "(development build)" : version),
            "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})"};
    }
}
