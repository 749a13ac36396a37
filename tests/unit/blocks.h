/* blocks.h — reading-order blocks placed by hand for normalize's tests.
 *
 * Ownership: documents come from bpn_document_new() (normalize/internal.h);
 * tb_line() and tb_grid() append a bpn_block the
 * array owns when made with g_ptr_array_new_with_free_func(tb_block_free). */
#ifndef BUDGETPDF_TESTS_BLOCKS_H
#define BUDGETPDF_TESTS_BLOCKS_H

#include "normalize/internal.h"

void tb_block_free(gpointer block);
/* A text line at (x, y) on page, 10 pt high. */
void tb_line(GPtrArray *blocks, int page, double x, double y, const char *text);
/* A grid of n_rows rows of 20 pt from y, n_cols columns of 100 pt from
 * x = 50; cells[r * n_cols + c] its texts (NULL: empty). */
void tb_grid(GPtrArray *blocks, int page, double y, int n_rows, int n_cols, const char *const *cells);

/* Widest table tb_table() builds. */
#define TB_W 10

/* A finished table from strings, as tables.c leaves it: header rows, then
 * data rows; "" or NULL is an empty cell, and a data cell with a decimal
 * point that reads as an amount is a number.  unit may be NULL.  Free with
 * bpn_table_free(). */
bpn_table *tb_table(int number, const char *title, const char *unit, int n_cols, const char *header[][TB_W],
                    int n_header, const char *rows[][TB_W], int n_rows);

#endif
