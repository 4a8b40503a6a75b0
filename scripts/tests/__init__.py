# A package, so that pytest puts scripts/ on sys.path: the tests import iowq_plots and plot from there.
