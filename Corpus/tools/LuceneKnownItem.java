import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.ja.JapaneseAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Known-item retrieval with Lucene's analyzer for one language: indexes FOLDER/docs.tsv
 * (id TAB text) in memory, runs every line of FOLDER/queries.tsv (id TAB text) as an OR of the
 * query's analyzed terms, scores with BM25 (k1 1.2, b 0.75) and writes a TREC run.
 *
 * <pre>java -cp LUCENE_JARS LuceneKnownItem.java LANG FOLDER RUN_OUT [DEPTH] [cjk]</pre>
 *
 * LANG is de, fr, es, it, pt, ru, ja, zh or en; with "cjk", ja and zh use CJKAnalyzer (bigrams)
 * instead of kuromoji and SmartCN. Documents with equal scores are ranked as trec_eval orders
 * them (document id descending by its UTF-8 bytes), so the run's ranks are the evaluated order.
 */
public final class LuceneKnownItem {
    static final String FIELD = "text";

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 5) {
            System.err.println("usage: LuceneKnownItem LANG FOLDER RUN_OUT [DEPTH] [cjk]");
            System.exit(2);
        }
        String language = args[0].toLowerCase(Locale.ROOT);
        Path folder = Paths.get(args[1]);
        Path runPath = Paths.get(args[2]);
        int depth = args.length >= 4 ? Integer.parseInt(args[3]) : 100;
        boolean cjk = args.length == 5 && args[4].equalsIgnoreCase("cjk");
        if (args.length == 5 && !cjk) {
            System.err.println("the fifth argument can only be cjk");
            System.exit(2);
        }
        if (depth < 1) {
            System.err.println("DEPTH must be at least 1");
            System.exit(2);
        }
        Analyzer analyzer = analyzer(language, cjk);
        String tag = "lucene-" + language + (cjk ? "-cjk" : "");

        long started = System.nanoTime();
        List<String[]> documents = readTsv(folder.resolve("docs.tsv"));
        List<String[]> queries = readTsv(folder.resolve("queries.tsv"));
        // Lucene breaks score ties by internal document number, lowest first: adding documents
        // in descending id order makes that trec_eval's order.
        documents.sort((a, b) -> compareUtf8(b[0], a[0]));
        for (int i = 1; i < documents.size(); i++) {
            if (documents.get(i)[0].equals(documents.get(i - 1)[0])) {
                throw new IllegalArgumentException("document id " + documents.get(i)[0] + " appears twice");
            }
        }

        BM25Similarity similarity = new BM25Similarity(1.2f, 0.75f);
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
            .setSimilarity(similarity)
            .setRAMBufferSizeMB(512)
            .setMergePolicy(new LogByteSizeMergePolicy());  // merges neighbours only: keeps document order
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (String[] row : documents) {
                Document document = new Document();
                document.add(new StoredField("id", row[0]));
                document.add(new TextField(FIELD, row[1], Field.Store.NO));
                writer.addDocument(document);
            }
            writer.forceMerge(1);
        }
        long indexed = System.nanoTime();

        int empty = 0;
        try (DirectoryReader reader = DirectoryReader.open(directory);
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(runPath, StandardCharsets.UTF_8))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(similarity);
            for (String[] query : queries) {
                List<String> terms = analyze(analyzer, query[1]);
                if (terms.isEmpty()) {
                    empty++;
                    continue;
                }
                BooleanQuery.Builder builder = new BooleanQuery.Builder();
                for (String term : terms) {
                    builder.add(new TermQuery(new Term(FIELD, term)), BooleanClause.Occur.SHOULD);
                }
                ScoreDoc[] hits = searcher.search(builder.build(), depth).scoreDocs;
                for (int rank = 0; rank < hits.length; rank++) {
                    String id = searcher.doc(hits[rank].doc).get("id");
                    out.print(query[0] + " Q0 " + id + " " + (rank + 1) + " " + hits[rank].score + " " + tag + "\n");
                }
            }
        }
        long searched = System.nanoTime();
        System.err.printf(Locale.ROOT, "%s: %d documents indexed in %.2f s, %d queries in %.2f s (%d without terms) -> %s%n",
            tag, documents.size(), (indexed - started) / 1e9, queries.size(), (searched - indexed) / 1e9, empty, runPath);
    }

    static Analyzer analyzer(String language, boolean cjk) {
        if (cjk) {
            if (!language.equals("ja") && !language.equals("zh")) {
                throw new IllegalArgumentException("cjk is for ja and zh only");
            }
            return new CJKAnalyzer();
        }
        switch (language) {
            case "de": return new GermanAnalyzer();
            case "fr": return new FrenchAnalyzer();
            case "es": return new SpanishAnalyzer();
            case "it": return new ItalianAnalyzer();
            case "pt": return new PortugueseAnalyzer();
            case "ru": return new RussianAnalyzer();
            case "ja": return new JapaneseAnalyzer();
            case "zh": return new SmartChineseAnalyzer();
            case "en": return new EnglishAnalyzer();
            default: throw new IllegalArgumentException("no analyzer for language " + language);
        }
    }

    /** The terms `analyzer` makes of `text`, in order, repeats included. */
    static List<String> analyze(Analyzer analyzer, String text) throws IOException {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(FIELD, new StringReader(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }

    /** Lines `id TAB text` of `path`; a line without a tab is an id with empty text. */
    static List<String[]> readTsv(Path path) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                rows.add(tab < 0 ? new String[] {line, ""} : new String[] {line.substring(0, tab), line.substring(tab + 1)});
            }
        }
        return rows;
    }

    static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
