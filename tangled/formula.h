#ifndef FORMULA_H
#define FORMULA_H
#include <stdint.h>
#include <stdio.h>
#include "data.h"

enum { FRM_OROR = 256, FRM_IN = 257 };     /* the operators || and %in% */
enum { FRM_LE = 258, FRM_GE = 259, FRM_EQ = 260, FRM_NE = 261 };  /* <= >= == != */

typedef enum {
    FRM_NUMBER, FRM_NAME, FRM_CALL, FRM_PAREN, FRM_UNARY, FRM_POWER, FRM_CHAIN,
    FRM_STRING
} frm_kind;

typedef struct frm_node {
    frm_kind kind;
    int pos;                  /* 1-based byte position of its first character */
    double value;             /* FRM_NUMBER */
    const char *name;         /* FRM_NAME: the name; FRM_CALL: the function;
                                 FRM_STRING: the string's characters */
    int n;                    /* operands: a call's arguments, a chain's operands,
                                 1 for FRM_PAREN and FRM_UNARY, 2 for FRM_POWER */
    struct frm_node **kid;    /* the operands */
    int *op;                  /* FRM_CHAIN: op[i] joins kid[i] to those before it
                                 (op[0] is '+' in a sum, else 0); FRM_UNARY: op[0] */
    int *oppos;               /* where each operator is (FRM_POWER: oppos[1]) */
    int var;                  /* a variable's index in the formula's table, else -1 */
    const char **argname;     /* FRM_CALL: the name of each argument, NULL if none */
} frm_node;

typedef struct frm_var {
    const char *name;         /* deparsed as R deparses it: "wt", "log(x + 1)" */
    const frm_node *expr;     /* its first appearance */
    int pos;                  /*   and where that is */
} frm_var;

typedef struct frm_terms {
    int intercept;            /* 1 with an intercept (R's attr(terms, "intercept")) */
    int nvar;                 /* the variables of these terms, as they first appear, */
    int *var;                 /*   as indices in the formula's table of variables */
    int nterm;                /* the terms, by degree and then as they appear */
    int nwords;               /* 64-bit words in each term's bit set */
    uint64_t *bits;           /* term t is bits[t*nwords ...]; bit v: var[v] in it */
    const char **label;       /* R's term labels, "a:b" */
    int *start;               /* term t's codes are code[start[t] .. start[t+1]-1], */
    unsigned char *code;      /*   one per variable of the term: 1 contrasts, 2 indicators */
} frm_terms;

typedef struct frm_bar {
    frm_terms lhs;            /* the term's own model: 1, Days, 0 + x, ... */
    const char *group;        /* the grouping factor as lme4 names it: "Subject", "g2:g1" */
    int nleaf;                /* the variables it is the interaction of, */
    int *leaf;                /*   slowest first (indices in the table of variables) */
    int uncorrelated;         /* 1 when it came from (x || g) */
    int pos;                  /* where the term as written begins, its '(' */
} frm_bar;

typedef struct frm_formula {
    const char *text;         /* the formula as given */
    const frm_node *lhs;      /* the response as written */
    const char *response;     /* deparsed: "mpg", "log(mpg)", "cbind(k, n - k)" */
    int ycols;                /* 2 when the response is cbind(s, f), else 1 */
    const frm_node *y[2];     /* the response's expressions: lhs or cbind's arguments */
    int nvar;                 /* every variable of the right side, fixed and random, */
    frm_var *var;             /*   in order of first appearance */
    frm_terms fixed;          /* the fixed-effects terms */
    int nbar;                 /* random-effect terms after rewriting || and / */
    frm_bar *bar;
    int nwritten;             /* random-effect terms as written; */
    int written_pos;          /*   where the first one begins */
    const char *written;      /*   and the first one, deparsed: "(1 | g)" */
    int ndot;                 /* terms '.': all the columns but the response's */
    int contrasts;            /* FRM_CONTR_SUM or FRM_CONTR_HELMERT, or 0: treatment */
    int nwarn;                /* warnings about the formula itself (a term written */
    const char **warn;        /*   twice, a factor nested in itself) */
    int noffset;              /* offset() terms (Section sec:frm-offset), */
    int *offset_var;          /*   their arguments as indices in the table of variables */
    struct frm_block *mem;    /* private: the memory all of this lives in */
} frm_formula;

typedef struct frm_reterm {      /* one random-effect term after expansion */
    char *group;      /* grouping factor as lme4 names it: "Subject", "g1:g2";
                         (1 | g1/g2) gives "g2:g1" and "g1", in that order */
    int nlevels;      /* levels present among the model rows */
    char **levels;    /* their labels ("a:b" for an interaction, as lme4's) */
    int *g;           /* n: level index (0..nlevels-1) of each model row */
    int q;            /* columns of the term's own model matrix: 1 for (1 | g), ... */
    double *Z;        /* n x q, column-major: the term's model-matrix values */
    char **colnames;  /* q names as lme4 prints them: "(Intercept)", "Days" */
    int uncorrelated; /* came from (x || g); already split as lme4 splits it, one term
                         per term of the left side: do not split it again */
} frm_reterm;

typedef struct frm_model {
    char *formula;            /* the formula text as given */
    char *response;           /* as R deparses it: "mpg", "log(mpg)", "cbind(k, n - k)" */
    int ycols;                /* 1, or 2 for cbind(successes, failures) */
    double *y;                /* n x ycols, column-major */
    int n, p;                 /* model rows, columns of X */
    double *X;                /* n x p, column-major (leading dimension n) */
    char **colnames;          /* p coefficient names exactly as R prints them */
    int intercept;            /* 1 when the model has an intercept */
    int n_dropped;            /* rows dropped for a missing value in a variable used */
    int *row;                 /* n: the data-frame row index of each model row */
    int nre;                  /* random-effect terms, in lme4's order before it sorts */
    frm_reterm *re;           /*   them by number of levels */
    int nterm;                /* the fixed-effects terms (R's term.labels) */
    char **term;
    int *assign;              /* p: the term of each column, 1-based; 0 the intercept */
    int flags;                /* the flags it was made with (and --contrasts) */
    int nwarn;                /* warnings where R warns too, or would be silently */
    const char **warn;        /*   wrong (Section \ref{sec:frm-warnings}) */
    double *offset;           /* n: the sum of the offset() terms, or NULL without one */
    struct frm_block *mem;    /* private: the memory all of this lives in */
    double *weights;          /* n prior weights set by a program from frm_weights, or NULL
                                 (Section sec:frm-weights); not owned by the model */
} frm_model;

enum { FRM_FIXED_ONLY = 1,      /* ols: random-effect terms are an error */
       FRM_NEED_RANDOM = 2,     /* lmm: at least one random-effect term */
       FRM_BINOMIAL = 4 };      /* glmm: allow cbind(s, f) and a factor response */
enum { FRM_CONTR_SUM = 8,       /* --contrasts sum: unordered factors by contr.sum */
       FRM_CONTR_HELMERT = 16 };/* --contrasts helmert: by contr.helmert */

/* Parse text (non-NULL) into *out, freed with frm_free, which keeps a copy; *out NULL on error */
int  frm_parse(st_error *e, const char *text, frm_formula **out);
/* Free f and all its memory; NULL is a no-op */
void frm_free(frm_formula *f);
/* Model frame of f on df with FRM_ flags into *out (frm_model_free); keeps no pointer to f, df */
int  frm_model_frame(st_error *e, const frm_formula *f, const df_frame *df, int flags,
                     frm_model **out);
/* Free m and all its memory (not m->weights, which it does not own); NULL is a no-op */
void frm_model_free(frm_model *m);
/* Subtract m's offset from its response in place (nothing without one); m non-NULL */
void frm_subtract_offset(frm_model *m);
/* R's label of the number x (as.character, 15 digits) into buf, 32 bytes */
void frm_number_label(double x, char buf[32]);
/* Set f's default contrasts from word (NULL or "treatment", "sum", "helmert"): 0, or -1 */
int  frm_set_contrasts(frm_formula *f, const char *word);
/* Print m's warnings on out, one line each prefixed "prog: warning: " */
void frm_print_warnings(FILE *out, const frm_model *m, const char *prog);
/* n prior weights of m's rows from df's column into *out, which the caller frees; NULL on error */
int  frm_weights(st_error *e, const frm_model *m, const df_frame *df, const char *column,
                 double **out);
#endif
