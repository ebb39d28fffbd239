package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigException;
import io.assetindex.config.Workspace;
import io.assetindex.maintain.Doctor;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the setup: Java, config, watch paths, .asset_index/ permissions, the database's integrity"
                + " and schema, free disk, inotify limits, ffprobe, the embedding and AI models and the watcher.",
                "Each finding is ok, warn or fail, with what to do; exit code 1 if any fails."})
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        AppConfig config = null;
        String problem = null;
        try {
            config = main.loadConfig(Map.of());
        } catch (ConfigException e) {
            problem = e.getMessage();
        }
        Workspace workspace = config != null ? config.workspace() : new Workspace(main.workspaceDir());
        List<Doctor.Finding> findings =
                new Doctor(workspace, config, problem, main.context().environment()::get).examine();
        boolean failed = Doctor.anyFailed(findings);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("workspace", workspace.root().toString());
            document.put("ok", !failed);
            document.put("findings", findings.stream().map(DoctorCommand::toJson).toList());
            out.println(Json.pretty(document));
        } else {
            out.println("workspace " + workspace.root());
            for (Doctor.Finding finding : findings) {
                out.printf("%-5s %-13s %s%n", finding.status().id(), finding.check(),
                        Text.escapeControls(finding.finding()));
                if (finding.advice() != null) {
                    out.printf("%-19s -> %s%n", "", finding.advice());
                }
            }
        }
        return failed ? ExitCode.FAILURE : ExitCode.OK;
    }

    private static Map<String, Object> toJson(Doctor.Finding finding) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("check", finding.check());
        out.put("status", finding.status().id());
        out.put("finding", finding.finding());
        out.put("advice", finding.advice());
        return out;
    }
}
