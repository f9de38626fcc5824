import Foundation

/// Where `ctxsel` finds its default `Catalog/` and `Corpus/` when a command names none, so that it
/// works from any folder: `$CTXSEL_HOME` when set, else the current folder when it has `Catalog/`,
/// else the folder the executable belongs to: the first of its ancestors (symbolic links resolved,
/// so a link on PATH to `.build/release/ctxsel` finds the checkout) that holds `Catalog/`, or
/// `share/ctxsel` beside its `bin/` for an installed copy.
enum DefaultData {
    /// The folder holding the default `Catalog/` and `Corpus/`, or nil when there is none.
    static let home: String? = {
        let files = FileManager.default
        func holdsCatalog(_ folder: String) -> Bool {
            files.fileExists(atPath: (folder as NSString).appendingPathComponent("Catalog/items.jsonl"))
        }
        if let configured = ProcessInfo.processInfo.environment["CTXSEL_HOME"], !configured.isEmpty {
            return configured
        }
        if holdsCatalog(files.currentDirectoryPath) { return files.currentDirectoryPath }
        // The running executable, links resolved (Linux names it in /proc; elsewhere argv[0]).
        let running = (try? files.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let executable = URL(fileURLWithPath: running, relativeTo: URL(fileURLWithPath: files.currentDirectoryPath))
            .resolvingSymlinksInPath().standardizedFileURL
        var folder = executable.deletingLastPathComponent()
        while folder.path != "/" {
            if holdsCatalog(folder.path) { return folder.path }
            let shared = folder.appendingPathComponent("share/ctxsel").path
            if holdsCatalog(shared) { return shared }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    /// `relative` (e.g. `Catalog`, `Corpus/stats.tsv`) under ``home``, or as given (relative to the
    /// current folder) when there is no home.
    static func path(_ relative: String) -> String {
        guard let home else { return relative }
        return (home as NSString).appendingPathComponent(relative)
    }
}
