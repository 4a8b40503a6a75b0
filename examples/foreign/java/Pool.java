// A JDK ThreadPoolExecutor under bench's foreign-pool contract (docs/foreign.md): the pool most
// Java services use (a cached pool: no core threads, a thread per item when none is idle).
//
// When the JVM cannot create a thread, execute() throws OutOfMemoryError ("unable to create native
// thread"): the caller is told, so the item counts as refused. Build: javac -d . Pool.java
// Run: bench run --foreign java-tpe='java -Xss256k -cp examples/foreign/java Pool'
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

public final class Pool {
    static PrintStream events;

    static synchronized void say(String line) {
        events.println(line);
        events.flush();
    }

    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(System.getenv().getOrDefault("IOWQ_ITEMS", "1"));
        long blockMicros = Long.parseLong(System.getenv().getOrDefault("IOWQ_BLOCK_US", "200"));
        int chain = Integer.parseInt(System.getenv().getOrDefault("IOWQ_CHAIN", "0"));
        // the events channel: fd 3, opened by its /proc name (the JDK cannot adopt a bare fd)
        String fd = System.getenv().getOrDefault("IOWQ_EVENTS_FD", "3");
        events = new PrintStream(new FileOutputStream("/proc/self/fd/" + fd), false, "UTF-8");
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 64, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
        CountDownLatch running = new CountDownLatch(Math.max(chain, 0));
        BufferedReader control = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        say("ready");
        if (!"go".equals(control.readLine())) return;
        for (int i = 0; i < items; i++) {
            final int id = i;
            try {
                pool.execute(() -> {
                    say("start " + id);
                    try {
                        if (chain > 0) {
                            running.countDown();
                            running.await();
                        } else {
                            TimeUnit.MICROSECONDS.sleep(blockMicros);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    say("end " + id);
                });
                say("submit " + id + " ok");
            } catch (Throwable e) {  // OutOfMemoryError: unable to create native thread
                say("submit " + id + " refused " + e.toString().replace('\n', ' '));
            }
        }
        while (control.readLine() != null) { }  // the harness closes stdin when the trial is over
        Runtime.getRuntime().halt(0);
    }

}
