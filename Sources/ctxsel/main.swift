import TextAnalysis
let a = Analyzer()
print(a.terms(in: "Running shoes for trail runners. Call +1 (555) 123-4567 or mail bob.smith@example.com; card 4111 1111 1111 1111, ip 192.168.1.20 and fe80::1ff:fe23:4567:890a. Café RÉSUMÉ İȺȾCAT don’t Python's 2024 release 1234567"))
let t = a.tokens(in: "Café RÉSUMÉ naïve")
print(t)
let f = HTMLTextExtractor().extract("<html lang='fr-CA'><head><title>Le th&eacute; vert</title><meta name=description content='Tea &amp; more'></head><body><nav>Home Menu</nav><h1>Green tea</h1><p>Brew at 80&deg;C <a href=x>see guide</a><script>var x=1<2;</script> end<!-- hidden --> <img alt='teapot photo'><footer>copyright</footer>")
for fld in Field.allCases { print(fld, "|", f.text(of: fld)) }
print(f.language as Any)
let an = a.analyze(f, scratch: AnalysisScratch())
print(an.language, an.tokens)
print(Stemmer.availableAlgorithms)
