import ArgumentParser
import Foundation
import OpenRTB
import PageRendering
import TextAnalysis
import WireFormat

struct OpenRTBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openrtb",
        abstract: "OpenRTB 2.6: strip identity from BidRequests and add the page's context, or bid on them from the catalog.",
        subcommands: [Enrich.self, Bid.self]
    )

    /// What both subcommands read: the engine, the templates, the inputs.
    struct Inputs: ParsableArguments {
        @OptionGroup var engineOptions: EngineOptions

        @Option(help: "Folder with ad.mustache, content.mustache and house.mustache for a bid's adm (default: the default Catalog/templates).")
        var templates: String?

        @Argument(help: "BidRequests: a file holding one JSON document, or NDJSON (one per line); '-' or none reads stdin.")
        var files: [String] = []

        func bidder() throws -> Bidder {
            let folder = URL(fileURLWithPath: templates ?? DefaultData.path("Catalog/templates"))
            do { return Bidder(renderer: try PageRenderer(engine: try engineOptions.makeEngine(), templateFolder: folder)) } catch let error as RenderError {
                throw ToolError(error.description)
            }
        }

        /// Answers every request of every input in order, one JSON line each; the exit status is
        /// 1 when a request was refused (its error record is written where its answer would be).
        func run(_ mode: OpenRTBLine.Mode) throws {
            let bidder = try bidder()
            let scratch = AnalysisScratch()
            var failures = 0
            for file in files.isEmpty ? ["-"] : files {
                let bytes = [UInt8](try readInput(file))
                var output: [UInt8] = []
                for (line, request) in Self.requests(in: bytes) {
                    let answer = OpenRTBLine.answer(request, line: line, mode: mode, bidder: bidder, scratch: scratch)
                    if answer.error != nil { failures += 1 }
                    var writer = JSONWriter()
                    writer.write(answer.output)
                    output += writer.bytes + [0x0A]
                }
                FileHandle.standardOutput.write(Data(output))
            }
            if failures > 0 {
                diagnose("\(failures) request(s) refused; see the error records")
                throw ExitCode(1)
            }
        }

        /// A whole file that is one JSON object (the specification's examples are pretty-printed)
        /// is one request; anything else is NDJSON, blank lines skipped.
        static func requests(in bytes: [UInt8]) -> [(line: Int, bytes: [UInt8])] {
            if let json = try? bytes.withUnsafeBufferPointer({ try JSONParser.parse($0) }), case .object = json {
                return [(1, bytes)]
            }
            var framer = LineFramer(maximumLineBytes: max(bytes.count, 1))
            var requests: [(Int, [UInt8])] = []
            let frames = bytes.withUnsafeBufferPointer { framer.feed($0) } + framer.finish()
            for case .line(let number, let line) in frames { requests.append((number, line)) }
            return requests
        }
    }

    struct Enrich: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write each BidRequest back without identity and with the page's keywords, IAB 3.1 categories and language.",
            discussion: """
                Removes user, device identifiers (ifa, ip, ipv6, hashed ids, ua and sua beyond the OS family), \
                precise geo, eids and buyeruid anywhere (ext included), the referrer and the page URL's query; \
                adds site.content.kwarray, language, cat with cattax 9, and site.pagecat; and lists both in \
                ext.ctxsel. The page comes from site.ext.ctxsel.page (a select request's page), else from the \
                content's title and keywords and the site's keywords and name; nothing is fetched.
                """
        )
        @OptionGroup var inputs: Inputs
        func run() throws { try inputs.run(.enrich) }
    }

    struct Bid: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer each BidRequest with a BidResponse from the catalog's priced ads (cpm), or a no-bid.",
            discussion: """
                Each banner imp is a slot for one ad: the best ad for the page priced in the request's first \
                currency (cur, default USD) at or above the imp's bidfloor, not from a badv domain; bcat blocks \
                categories when cattax is 9 (IAB Content Taxonomy 3.1) and is refused otherwise. A no-bid is a \
                BidResponse with nbr and no seatbid.
                """
        )
        @OptionGroup var inputs: Inputs
        func run() throws { try inputs.run(.bid) }
    }
}
