import ArgumentParser

@main
struct SelectionTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctxsel",
        abstract: "Contextual ad and content selection: pages in, relevant items out, nobody tracked.",
        discussion: """
            Requests and responses are NDJSON, one per line (see README.md for the fields). \
            Without --catalog or --index, the default Catalog/ in the current folder is used.
            """,
        version: "0.1.0",
        subcommands: [Select.self, Keywords.self, Classify.self, Rank.self, Index.self, Stats.self, Evaluate.self, Report.self, OpenRTBCommand.self, Serve.self, Render.self, Bench.self],
        defaultSubcommand: Select.self
    )
}
