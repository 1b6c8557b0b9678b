{
  "variables": {
    "vitrine_has_blas%": "<!(node src/find-blas.mjs has)"
  },
  "targets": [
    {
      "target_name": "vitrine_native",
      "sources": ["src/addon.c", "src/args.c", "src/pool.c", "src/als.c", "src/als_exact.c", "src/bpr.c", "src/vbpr.c", "src/score.c", "src/sparse.c"],
      "cflags": ["-O3", "-march=native", "-fopenmp-simd", "-fno-math-errno", "-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags!": ["-O2", "-O0"],
      "libraries": ["-lpthread", "-lm"],
      "conditions": [
        ["vitrine_has_blas==1", {
          "sources": ["src/tensor_api.c", "src/tensor_gemm.c", "src/conv.c", "src/elementwise.c"],
          "defines": ["<!@(node src/find-blas.mjs defines)"],
          "cflags": ["<!@(node src/find-blas.mjs cflags)"],
          "libraries": ["<!@(node src/find-blas.mjs libs)"]
        }]
      ]
    }
  ]
}
