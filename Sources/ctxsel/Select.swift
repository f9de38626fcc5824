import ArgumentParser
import Contract
import Foundation
import Selection
import TextAnalysis
import WireFormat

struct Select: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer NDJSON selection requests: one response line per request line, in order.",
        discussion: """
            Reads the files given (or stdin) and writes one JSON line per request to stdout, \
            flushed per line. A line that is not a valid request gets an error record \
            {"line", "id", "error": {"code", "message", "field"}} and the stream goes on; the exit \
            status is 1 if any line failed, 0 with --keep-going.
            """
    )

    @OptionGroup var engineOptions: EngineOptions

    @Option(help: "Longest request line accepted, in bytes; longer lines get an error record.")
    var maxLineBytes: Int = LineFramer.defaultMaximumLineBytes

    @Flag(help: "Exit 0 even when lines failed (their error records are still written): for a job that must not fail on a bad line, e.g. a Spark task.")
    var keepGoing = false

    @Option(help: "The number of the first input line, for error records: a filter fed one slice of a larger input (a Spark partition) names lines of the whole input.")
    var firstLine: Int = 1

    @Argument(help: "NDJSON request files; '-' or none reads stdin.")
    var files: [String] = []

    func validate() throws {
        guard maxLineBytes >= 1024 else { throw ValidationError("--max-line-bytes must be at least 1024") }
        guard firstLine >= 1 else { throw ValidationError("--first-line must be at least 1") }
    }

    func run() throws {
        let engine = try engineOptions.makeEngine()
        let scratch = AnalysisScratch()
        var failures = 0
        var lineOffset = firstLine - 1
        for file in files.isEmpty ? ["-"] : files {
            let handle: FileHandle
            if file == "-" { handle = .standardInput } else {
                guard let opened = FileHandle(forReadingAtPath: file) else { throw ToolError("cannot open \(file)") }
                handle = opened
            }
            var framer = LineFramer(maximumLineBytes: maxLineBytes)
            func handleFrames(_ frames: [LineFramer.Frame]) {
                for frame in frames {
                    let answer = switch frame {
                    case .tooLong(let line, let bytes):
                        SelectionLine.tooLong(line: lineOffset + line, bytes: bytes, limit: maxLineBytes, limitName: "--max-line-bytes")
                    case .line(let line, let bytes):
                        SelectionLine.answer(bytes, line: lineOffset + line, engine: engine, scratch: scratch)
                    }
                    if answer.error != nil { failures += 1 }
                    var writer = JSONWriter()
                    writer.write(answer.output)
                    FileHandle.standardOutput.write(Data(writer.bytes + [0x0A]))
                }
            }
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                handleFrames(chunk.withUnsafeBytes { framer.feed($0.bindMemory(to: UInt8.self)) })
            }
            handleFrames(framer.finish())
            lineOffset += framer.linesRead
        }
        if failures > 0 {
            diagnose("\(failures) line(s) failed; see the error records")
            if !keepGoing { throw ExitCode(1) }
        }
    }
}
