import ArgumentParser
import Foundation
import PageRendering
import Selection

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the slots marked up in an HTML page (or a whole static site) with selected items.",
        discussion: """
            Slots are elements such as <div data-ctxsel-slot="sidebar" data-ctxsel-count="2" \
            data-ctxsel-kinds="ad"></div>; the page itself is the context. Items go through \
            Catalog/templates/{ad,content,house}.mustache (or --templates DIR), every field HTML-escaped; \
            everything outside the slots is written byte for byte as it came in.
            """
    )

    @OptionGroup var engineOptions: EngineOptions

    @Option(help: "Folder with ad.mustache, content.mustache and house.mustache (default: the default Catalog/templates).")
    var templates: String?

    @Option(help: "Write the page here instead of stdout.")
    var output: String?

    @Option(help: "Render every .html file under this folder (with --out), copying other files.")
    var dir: String?

    @Option(help: "With --dir: the folder to write the site to.")
    var out: String?

    @Option(help: "The time to select at (ISO 8601; default: now).")
    var now: String?

    @Argument(help: "An HTML page; '-' or none reads stdin.")
    var file: String?

    func validate() throws {
        if (dir == nil) != (out == nil) { throw ValidationError("--dir and --out go together") }
        if dir != nil, file != nil { throw ValidationError("give a page or --dir, not both") }
    }

    func run() throws {
        let renderer: PageRenderer
        do { renderer = try PageRenderer(engine: try engineOptions.makeEngine(), templateFolder: URL(fileURLWithPath: templates ?? DefaultData.path("Catalog/templates"))) } catch let error as RenderError {
            throw ToolError("\(error)")
        }
        if let dir, let out {
            let started = Date()
            let progress = Progress("rendering \(dir)")
            let (pages, slots) = try renderer.renderSite(from: URL(fileURLWithPath: dir), to: URL(fileURLWithPath: out),
                                                         threads: engineOptions.threads) { done, total in progress.update(done, of: total) }
            progress.finish()
            diagnose("rendered \(pages) pages, \(slots) slots in " + String(format: "%.2f s", Date().timeIntervalSince(started)) + " → \(out)")
            return
        }
        let page = String(decoding: try readInput(file), as: UTF8.self)
        let (html, _) = try renderer.render(page, requestID: file, now: now)
        if let output {
            try Data(html.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(html.utf8))
        }
    }
}
