/// How a request's own keys are echoed in an error's `field`.
///
/// An unknown or identity key is written by the client, so it can itself be personal data (an
/// e-mail address used as a key, a phone number, an account id). Error records go to logs and
/// pipelines; they must not carry that data on. A key is echoed as written only when it looks
/// like a field name: 1 to 64 ASCII letters, digits, `_` or `-`, with no run of five or more
/// digits. Any other key is echoed as `<key of N bytes>`.
public enum EchoedKey {
    public static let longestEchoed = 64

    public static func safe(_ key: String) -> String {
        let bytes = key.utf8
        var digitRun = 0
        var looksLikeName = !bytes.isEmpty && bytes.count <= longestEchoed
        for byte in bytes where looksLikeName {
            let isDigit = byte >= 0x30 && byte <= 0x39
            let isLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
            digitRun = isDigit ? digitRun + 1 : 0
            looksLikeName = (isDigit || isLetter || byte == 0x5F || byte == 0x2D) && digitRun < 5
        }
        return looksLikeName ? key : "<key of \(bytes.count) bytes>"
    }
}
