{
  "targets": [
    {
      "target_name": "vitrine_native",
      "sources": ["src/addon.c", "src/args.c", "src/pool.c", "src/als.c", "src/als_exact.c", "src/bpr.c", "src/score.c"],
      "cflags": ["-O3", "-march=native", "-fopenmp-simd", "-fno-math-errno", "-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags!": ["-O2", "-O0"],
      "libraries": ["-lpthread", "-lm"]
    }
  ]
}
