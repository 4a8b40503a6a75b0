"""The figures of one iowq-bench results folder; scripts/plot.py is the command line.

    data          reading a results folder: the CSV files, the names and their order, calibration
    style         one colour and marker per strategy, legends, saving
    hgrm          reading a configuration's latency histogram (histograms/*.hgrm) as an empirical CDF
    hang_vs_delivered_rate, latency_ecdf, burst, outcomes_heatmap, first_worker, fidelity
                  one module per figure, each with FILENAME and plot(run, styles, out, args); all but
                  burst also data(run, args): exactly what they draw, which the tests check
    render        every figure of a run into RESULTS_DIR/plots/

Only data and hgrm are free of matplotlib; import the others after choosing a backend.
"""
