// OMAP4 system mailbox, synthesizable SystemVerilog.
//
// The same register map and behaviour as the C core (models/mailbox/omap_mailbox.c,
// docs/models/mailbox.md): REVISION, SYSCONFIG (SIDLEMODE stored, SOFTRESET resets
// every register at once), MESSAGE(m) push/pop, FIFOSTATUS(m), MSGSTATUS(m), and per
// user IRQSTATUS_RAW/CLR and IRQENABLE_SET/CLR. NEWMSG(m) and NOTFULL(m) are level
// events (a W1C does not clear them while the FIFO condition holds). A write to a full
// FIFO is discarded; a read of an empty FIFO returns 0.
//
// Register bus (one access at a time, no wait states):
//   - the master drives req_i with we_i, addr_i (byte offset in the 0x200 window),
//     wdata_i and be_i before a rising clock edge;
//   - at that edge the access happens; ready_o is high for the following cycle with
//     rdata_o (reads) and err_o (bus error: not a whole aligned 32-bit word, nothing
//     changed). A request still held while ready_o is high is not taken again.
//   - irq_o[u] is a flop: it follows an access one clock after ready_o (output latency
//     one cycle). Holes in the map read 0 and ignore writes with no error.
//
// Build-time faults for the co-verification test (never in a product build):
//   RPVP_MBOX_FAULT_NOTFULL_STUCK  NOTFULL reads 1 even when a FIFO is full.
module omap_mailbox #(
  parameter int unsigned NumUsers  = 3,   // 1..16 (interrupt outputs)
  parameter int unsigned NumFifos  = 8,   // 1..16
  parameter int unsigned FifoDepth = 4,   // 1..256
  parameter logic [31:0] Revision  = 32'h0000_0400
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                req_i,
  input  logic                we_i,
  input  logic [8:0]          addr_i,
  input  logic [31:0]         wdata_i,
  input  logic [3:0]          be_i,
  output logic                ready_o,
  output logic                err_o,
  output logic [31:0]         rdata_o,
  output logic [NumUsers-1:0] irq_o
);

  localparam int unsigned StatusW = 2 * NumFifos;             // NEWMSG/NOTFULL pairs
  localparam int unsigned CountW  = $clog2(FifoDepth + 1);    // 0..FifoDepth
  localparam int unsigned PtrW    = FifoDepth > 1 ? $clog2(FifoDepth) : 1;
  localparam logic [CountW-1:0] Depth = CountW'(FifoDepth);
  localparam int unsigned UserW   = NumUsers > 1 ? $clog2(NumUsers) : 1;
  localparam int unsigned FifoW   = NumFifos > 1 ? $clog2(NumFifos) : 1;
  localparam logic [1:0] SidleSmart = 2'd2;                   // SYSCONFIG reset value

  // Address blocks (addr_i[8:6]) and per-user registers (addr_i[3:2]).
  localparam logic [2:0] BlkGlobal = 3'd0, BlkMessage = 3'd1, BlkFifoStatus = 3'd2,
                         BlkMsgStatus = 3'd3;
  localparam logic [5:0] OffRevision = 6'h00, OffSysconfig = 6'h10;
  localparam logic [1:0] UsrRaw = 2'd0, UsrClr = 2'd1, UsrEnSet = 2'd2, UsrEnClr = 2'd3;

  // ---- state --------------------------------------------------------------------------
  logic [31:0]        mem_q    [NumFifos][FifoDepth];
  logic [PtrW-1:0]    head_q   [NumFifos];
  logic [CountW-1:0]  count_q  [NumFifos];
  logic [StatusW-1:0] soft_q   [NumUsers];  // events set by writing IRQSTATUS_RAW
  logic [StatusW-1:0] enable_q [NumUsers];
  logic [1:0]         sidle_q;

  // ---- level events, identical for every user ----------------------------------------
  logic [StatusW-1:0] level;
  always_comb begin
    for (int unsigned m = 0; m < NumFifos; m++) begin
      level[2*m]   = count_q[m] != '0;
`ifdef RPVP_MBOX_FAULT_NOTFULL_STUCK
      level[2*m+1] = 1'b1;
`else
      level[2*m+1] = count_q[m] != Depth;
`endif
    end
  end

  // ---- decode ---------------------------------------------------------------------------
  logic [2:0] blk;
  logic [3:0] fifo_idx, user_idx;
  logic [1:0] user_reg;
  logic       fifo_ok, user_ok, bad_width, take;
  assign blk       = addr_i[8:6];
  assign fifo_idx  = addr_i[5:2];
  assign user_idx  = addr_i[7:4];
  assign user_reg  = addr_i[3:2];
  assign fifo_ok   = 32'(fifo_idx) < NumFifos;
  assign user_ok   = addr_i[8] && 32'(user_idx) < NumUsers;
  // Array indices (only used when fifo_ok / user_ok hold).
  logic [FifoW-1:0] f;
  logic [UserW-1:0] u_sel;
  assign f     = FifoW'(fifo_idx);
  assign u_sel = UserW'(user_idx);

  function automatic logic [31:0] ext(logic [StatusW-1:0] s);
    logic [31:0] r;
    r = '0;
    r[StatusW-1:0] = s;
    return r;
  endfunction
  assign bad_width = be_i != 4'hF || addr_i[1:0] != 2'b00;
  assign take      = req_i && !ready_o;

  // Value a read returns (before any pop).
  logic [31:0] rvalue;
  always_comb begin
    rvalue = '0;
    if (addr_i[8]) begin
      if (user_ok) begin
        unique case (user_reg)
          UsrRaw:   rvalue = ext(level | soft_q[u_sel]);
          UsrClr:   rvalue = ext((level | soft_q[u_sel]) & enable_q[u_sel]);
          UsrEnSet: rvalue = ext(enable_q[u_sel]);
          UsrEnClr: rvalue = ext(enable_q[u_sel]);
          default:  rvalue = '0;
        endcase
      end
    end else begin
      unique case (blk)
        BlkGlobal: begin
          if (addr_i[5:0] == OffRevision) rvalue = Revision;
          else if (addr_i[5:0] == OffSysconfig) rvalue = {28'd0, sidle_q, 2'b00};
        end
        BlkMessage:    if (fifo_ok) rvalue = mem_q[f][head_q[f]];
        BlkFifoStatus: if (fifo_ok) rvalue = {31'd0, count_q[f] == Depth};
        BlkMsgStatus:  if (fifo_ok) rvalue = 32'(count_q[f]);
        default:       rvalue = '0;
      endcase
    end
  end

  // Access strobes.
  logic ok_acc, soft_reset, push, pop, empty;
  assign ok_acc     = take && !bad_width;
  assign empty      = count_q[f] == '0;
  assign soft_reset = ok_acc && we_i && !addr_i[8] && blk == BlkGlobal &&
                      addr_i[5:0] == OffSysconfig && wdata_i[0];
  assign push       = ok_acc && we_i && blk == BlkMessage && fifo_ok &&
                      count_q[f] != Depth;
  assign pop        = ok_acc && !we_i && blk == BlkMessage && fifo_ok && !empty;

  // ---- bus response -------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ready_o <= 1'b0;
      err_o   <= 1'b0;
      rdata_o <= '0;
    end else begin
      ready_o <= take;
      err_o   <= take && bad_width;
      rdata_o <= (ok_acc && !we_i) ? ((blk == BlkMessage && empty) ? '0 : rvalue) : '0;
    end
  end

  // ---- FIFOs ----------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned m = 0; m < NumFifos; m++) begin
        head_q[m]  <= '0;
        count_q[m] <= '0;
      end
    end else if (soft_reset) begin
      for (int unsigned m = 0; m < NumFifos; m++) begin
        head_q[m]  <= '0;
        count_q[m] <= '0;
      end
    end else if (push) begin
      count_q[f] <= count_q[f] + 1'b1;
    end else if (pop) begin
      count_q[f] <= count_q[f] - 1'b1;
      head_q[f]  <= next_ptr(head_q[f]);
    end
  end

  // Message storage: no reset (RAM); a slot is read only while it holds a message.
  always_ff @(posedge clk_i) begin
    if (push)
      mem_q[f][tail_ptr(head_q[f], count_q[f])] <= wdata_i;
  end

  function automatic logic [PtrW-1:0] next_ptr(logic [PtrW-1:0] p);
    return (32'(p) + 1 == FifoDepth) ? '0 : p + 1'b1;
  endfunction

  function automatic logic [PtrW-1:0] tail_ptr(logic [PtrW-1:0] head, logic [CountW-1:0] n);
    logic [31:0] t;
    t = 32'(head) + 32'(n);
    return PtrW'(t >= FifoDepth ? t - FifoDepth : t);
  endfunction

  // ---- SYSCONFIG, interrupt status and enables ----------------------------------------
  logic wr_user;
  assign wr_user = ok_acc && we_i && user_ok;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sidle_q <= SidleSmart;
      for (int unsigned u = 0; u < NumUsers; u++) begin
        soft_q[u]   <= '0;
        enable_q[u] <= '0;
      end
    end else if (ok_acc && we_i && !addr_i[8] && blk == BlkGlobal &&
                 addr_i[5:0] == OffSysconfig) begin
      // The idle mode written together with SOFTRESET is kept.
      sidle_q <= wdata_i[3:2];
      if (wdata_i[0]) begin
        for (int unsigned u = 0; u < NumUsers; u++) begin
          soft_q[u]   <= '0;
          enable_q[u] <= '0;
        end
      end
    end else if (wr_user) begin
      unique case (user_reg)
        UsrRaw:   soft_q[u_sel]   <= soft_q[u_sel] | wdata_i[StatusW-1:0];
        UsrClr:   soft_q[u_sel]   <= soft_q[u_sel] & ~wdata_i[StatusW-1:0];
        UsrEnSet: enable_q[u_sel] <= enable_q[u_sel] | wdata_i[StatusW-1:0];
        UsrEnClr: enable_q[u_sel] <= enable_q[u_sel] & ~wdata_i[StatusW-1:0];
        default:  ;
      endcase
    end
  end

  // ---- interrupt outputs: one flop per user -----------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      irq_o <= '0;
    end else begin
      for (int unsigned u = 0; u < NumUsers; u++)
        irq_o[u] <= ((level | soft_q[u]) & enable_q[u]) != '0;
    end
  end

endmodule
